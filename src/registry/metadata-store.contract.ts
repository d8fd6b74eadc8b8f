import { afterEach, describe, expect, it } from 'vitest';
import type { Digest } from '../core/digest.js';
import { sampleArtifact, sampleExecution, sampleRun } from './metadata-store.fixtures.js';
import {
  describeAuditLogContract,
  describeControllerStatusContract,
} from './metadata-store-audit.contract.js';
import { describeApiQueriesContract } from './metadata-store-api.contract.js';
import { describeModelChecksContract } from './metadata-store-checks.contract.js';
import { describeLineageContract } from './metadata-store-lineage.contract.js';
import { describeModelRegistryContract } from './metadata-store-models.contract.js';
import type { MetadataStore } from './types.js';

/**
 * The behaviour every MetadataStore must show. `open` must return a store on a database that
 * is fresh for each test and the same database on every call within one test; the suite
 * closes what it opens.
 */
export function describeMetadataStoreContract(
  name: string,
  open: () => Promise<MetadataStore>,
): void {
  describe(`MetadataStore contract: ${name}`, () => {
    const opened: MetadataStore[] = [];
    async function openStore(): Promise<MetadataStore> {
      const store = await open();
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('runs', () => {
      it('creates a run as running and finishes it with a status and end time', async () => {
        const store = await openStore();
        const input = sampleRun({ targets: ['train', 'evaluate'], dirty: true });
        const run = await store.createRun(input);
        expect(run).toEqual({ ...input, id: run.id, status: 'running', finishedAt: null });

        const finishedAt = new Date('2026-01-02T03:09:00.123Z');
        await store.finishRun(run.id, 'succeeded', finishedAt);
        expect(await store.listRuns()).toEqual([{ ...run, status: 'succeeded', finishedAt }]);
      });

      it('keeps a run outside Git with no commit, branch or author', async () => {
        const store = await openStore();
        const run = await store.createRun(sampleRun({ commit: null, branch: null, author: null }));
        const detail = await store.getRun(run.id);
        expect(detail).toMatchObject({ commit: null, branch: null, author: null, dirty: false });
      });

      it('refuses to finish a run that does not exist', async () => {
        const store = await openStore();
        await expect(store.finishRun(999, 'failed', new Date())).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });

      it('lists runs newest first and pages through them with the before cursor', async () => {
        const store = await openStore();
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push((await store.createRun(sampleRun())).id);
        const pages: number[][] = [];
        let before: number | undefined;
        for (;;) {
          const page = await store.listRuns({ limit: 2, before });
          if (page.length === 0) break;
          pages.push(page.map((run) => run.id));
          before = page.at(-1)?.id;
        }
        expect(pages.flat()).toEqual([...ids].reverse());
        expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      });

      it('returns 50 runs by default and more when asked', async () => {
        const store = await openStore();
        for (let i = 0; i < 51; i++) await store.createRun(sampleRun());
        expect(await store.listRuns()).toHaveLength(50);
        expect(await store.listRuns({ limit: 5000 })).toHaveLength(51);
      });

      it('filters runs by status, commit prefix and pipeline', async () => {
        const store = await openStore();
        const a = await store.createRun(sampleRun({ commit: `abc1${'0'.repeat(36)}` }));
        const b = await store.createRun(sampleRun({ commit: `abd2${'0'.repeat(36)}` }));
        const c = await store.createRun(sampleRun({ commit: null, pipeline: 'other' }));
        await store.finishRun(a.id, 'succeeded', new Date());
        await store.finishRun(b.id, 'failed', new Date());
        const idsOf = async (filter: Parameters<MetadataStore['listRuns']>[0]) =>
          (await store.listRuns(filter)).map((run) => run.id);

        expect(await idsOf({ status: 'failed' })).toEqual([b.id]);
        expect(await idsOf({ status: 'running' })).toEqual([c.id]);
        expect(await idsOf({ commit: 'ab' })).toEqual([b.id, a.id]);
        expect(await idsOf({ commit: 'ABC1' })).toEqual([a.id]);
        expect(await idsOf({ commit: `abc1${'0'.repeat(36)}` })).toEqual([a.id]);
        expect(await idsOf({ commit: '%' })).toEqual([]);
        expect(await idsOf({ pipeline: 'other' })).toEqual([c.id]);
        expect(await idsOf({ pipeline: 'penguins', status: 'succeeded' })).toEqual([a.id]);
      });
    });

    describe('stage executions', () => {
      it('round-trips an execution with its reasons, params, metrics and artifacts', async () => {
        const store = await openStore();
        const run = await store.createRun(sampleRun());
        const big = {
          ...sampleArtifact('data/big.parquet'),
          size: 5 * 2 ** 30,
          kind: 'dir' as const,
        };
        const train = sampleExecution(run.id, {
          deps: [sampleArtifact('data/train.csv'), big, sampleArtifact('src/train.ts')],
          durationMs: 3_000_000_000,
        });
        const failed = sampleExecution(run.id, {
          stage: 'evaluate',
          outcome: 'failed',
          reasons: [],
          exitCode: null,
          logDigest: null,
          params: {},
          outs: [],
          metrics: [],
        });
        const recorded = [
          await store.recordStageExecution(train),
          await store.recordStageExecution(failed),
        ];
        expect(recorded).toEqual([
          { ...train, id: recorded[0]?.id },
          { ...failed, id: recorded[1]?.id },
        ]);
        expect((await store.getRun(run.id))?.stages).toEqual(recorded);
      });

      it('returns no run for an id that does not exist', async () => {
        const store = await openStore();
        expect(await store.getRun(12345)).toBeUndefined();
      });

      it('refuses an execution for a run that does not exist', async () => {
        const store = await openStore();
        await expect(store.recordStageExecution(sampleExecution(777))).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });

      it('records a batch in order, as if each execution were recorded on its own', async () => {
        const store = await openStore();
        const first = await store.createRun(sampleRun());
        const second = await store.createRun(sampleRun({ commit: 'b'.repeat(40) }));
        const features = sampleArtifact('features.parquet');
        const model = sampleArtifact('model.onnx');
        const batch = [
          sampleExecution(first.id, { stage: 'prepare', outs: [features] }),
          sampleExecution(second.id, { stage: 'prepare', outs: [sampleArtifact('other.csv')] }),
          sampleExecution(first.id, { deps: [features], outs: [model], metrics: [] }),
        ];
        const recorded = await store.recordStageExecutions(batch);

        expect(recorded).toEqual(
          batch.map((execution, i) => ({ ...execution, id: recorded[i]?.id })),
        );
        const ids = recorded.map((record) => record.id);
        expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
        expect((await store.getRun(first.id))?.stages).toEqual([recorded[0], recorded[2]]);
        expect((await store.getRun(second.id))?.stages).toEqual([recorded[1]]);
        // Each execution is built from its own run's commit, though the batch reads them together.
        const commitOf = async (digest: Digest) =>
          (await store.lineage(digest))
            .filter((edge) => edge.relation === 'built_from')
            .map((edge) => `${edge.from.id}->${edge.to.id}`)
            .sort();
        expect(await commitOf(model.digest)).toEqual(
          [`${ids[0]}->${'a'.repeat(40)}`, `${ids[2]}->${'a'.repeat(40)}`].sort(),
        );
        expect(await commitOf(sampleArtifact('other.csv').digest)).toEqual([
          `${ids[1]}->${'b'.repeat(40)}`,
        ]);
      });

      it('records none of a batch when one of its runs does not exist', async () => {
        const store = await openStore();
        const run = await store.createRun(sampleRun());
        const batch = [
          sampleExecution(run.id),
          sampleExecution(777, { stage: 'evaluate' }),
          sampleExecution(run.id, { stage: 'report' }),
        ];
        await expect(store.recordStageExecutions(batch)).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: 'failed to record stage evaluate: run 777 does not exist',
        });
        expect((await store.getRun(run.id))?.stages).toEqual([]);
        expect(await store.referencedDigests()).toEqual(new Set());
      });

      it('records a stage with thousands of outputs', async () => {
        const store = await openStore();
        const run = await store.createRun(sampleRun());
        const outs = Array.from({ length: 2500 }, (_, i) => sampleArtifact(`shards/${i}.bin`));
        await store.recordStageExecution(sampleExecution(run.id, { outs }));
        expect((await store.getRun(run.id))?.stages[0]?.outs).toEqual(outs);
      });

      it('leaves no partial rows when recording an execution fails midway', async () => {
        const store = await openStore();
        const run = await store.createRun(sampleRun());
        const good = sampleArtifact('model.onnx');
        const broken = { ...sampleArtifact('broken.bin'), digest: null as unknown as Digest };
        const execution = sampleExecution(run.id, { outs: [good, broken] });

        await expect(store.recordStageExecution(execution)).rejects.toMatchObject({
          code: 'METADATA_FAILED',
        });
        expect((await store.getRun(run.id))?.stages).toEqual([]);
        expect(await store.runMetrics(run.id)).toEqual([]);
        expect(await store.lineage(good.digest)).toEqual([]);
        expect(await store.referencedDigests()).toEqual(new Set());
        // The store is still usable: the failed transaction was rolled back, not left open.
        await store.recordStageExecution(sampleExecution(run.id));
        expect((await store.getRun(run.id))?.stages).toHaveLength(1);
      });

      it('reports the metrics of the newest execution of each stage in a run', async () => {
        const store = await openStore();
        const run = await store.createRun(sampleRun());
        const other = await store.createRun(sampleRun());
        const metric = (key: string, value: number) => ({ file: 'metrics.json', key, value });
        await store.recordStageExecution(
          sampleExecution(run.id, { metrics: [metric('acc', 0.5)] }),
        );
        await store.recordStageExecution(
          sampleExecution(run.id, { metrics: [metric('acc', 0.75)] }),
        );
        await store.recordStageExecution(
          sampleExecution(run.id, { stage: 'evaluate', metrics: [metric('auc', 0.8)] }),
        );
        await store.recordStageExecution(
          sampleExecution(other.id, { metrics: [metric('acc', 0.1)] }),
        );
        expect(await store.runMetrics(run.id)).toEqual([metric('acc', 0.75), metric('auc', 0.8)]);
      });
    });

    describeLineageContract(openStore);
    describeModelRegistryContract(openStore);
    describeModelChecksContract(openStore);
    describeAuditLogContract(openStore);
    describeControllerStatusContract(openStore);
    describeApiQueriesContract(openStore);

    describe('opening', () => {
      it('keeps its data and applies no migration again when reopened', async () => {
        const first = await openStore();
        expect(first.appliedMigrations.length).toBeGreaterThan(0);
        const run = await first.createRun(sampleRun());
        await first.recordStageExecution(sampleExecution(run.id));
        const before = await first.getRun(run.id);
        await first.close();

        const second = await openStore();
        expect(second.appliedMigrations).toEqual([]);
        expect(await second.getRun(run.id)).toEqual(before);
      });

      it('works from two stores opened concurrently on the same database', async () => {
        const [one, two] = await Promise.all([openStore(), openStore()]);
        const applied = [one.appliedMigrations, two.appliedMigrations];
        expect(applied.filter((names) => names.length > 0)).toHaveLength(1);

        const runs = await Promise.all([one, two].map((store) => store.createRun(sampleRun())));
        await Promise.all(
          [one, two].flatMap((store, i) =>
            runs.map((run) =>
              store.recordStageExecution(sampleExecution(run.id, { stage: `s${i}` })),
            ),
          ),
        );
        for (const store of [one, two]) {
          const listed = (await store.listRuns()).map((run) => run.id);
          expect(listed).toEqual(runs.map((run) => run.id).sort((x, y) => y - x));
          for (const run of runs) expect((await store.getRun(run.id))?.stages).toHaveLength(2);
        }
      });
    });
  });
}
