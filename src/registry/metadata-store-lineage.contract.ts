import { describe, expect, it } from 'vitest';
import { digestJson, type Digest } from '../core/digest.js';
import { digestOf, sampleArtifact, sampleExecution, sampleRun } from './metadata-store.fixtures.js';
import type { LineageEdge, MetadataStore } from './types.js';

/**
 * Part of the MetadataStore contract (see describeMetadataStoreContract): the lineage walk and
 * the digests garbage collection must keep. `openStore` opens a store on the test's database.
 */
export function describeLineageContract(openStore: () => Promise<MetadataStore>): void {
  describe('lineage', () => {
    it('walks from a model back through two stages to data, params, commit and run', async () => {
      const store = await openStore();
      const run = await store.createRun(sampleRun());
      const raw = sampleArtifact('data/raw.csv', 'raw');
      const train = sampleArtifact('data/train.csv', 'train');
      const copy = sampleArtifact('data/train-copy.csv', 'train');
      const model = sampleArtifact('model.onnx', 'model');
      const prepare = await store.recordStageExecution(
        sampleExecution(run.id, {
          stage: 'prepare',
          deps: [raw],
          outs: [train],
          params: { split: 0.8 },
        }),
      );
      const fit = await store.recordStageExecution(
        // Two deps with equal content are one artifact node, so one `used` edge.
        sampleExecution(run.id, { deps: [train, copy], outs: [model], params: { lr: 0.1 } }),
      );
      // Downstream of the model: not part of its lineage.
      await store.recordStageExecution(
        sampleExecution(run.id, {
          stage: 'evaluate',
          deps: [model],
          outs: [sampleArtifact('m.json')],
        }),
      );

      const edges = await store.lineage(model.digest);
      const execution = (id: number) => ({ kind: 'stage_execution', id: String(id) }) as const;
      const artifact = (digest: Digest) => ({ kind: 'artifact', id: digest }) as const;
      const inputsOf = (id: number, params: Record<string, unknown>): LineageEdge[] => [
        {
          from: execution(id),
          to: { kind: 'params', id: digestJson(params) },
          relation: 'configured_by',
        },
        {
          from: execution(id),
          to: { kind: 'commit', id: 'a'.repeat(40) },
          relation: 'built_from',
        },
        { from: execution(id), to: { kind: 'run', id: String(run.id) }, relation: 'part_of' },
      ];
      expect(sortEdges(edges)).toEqual(
        sortEdges([
          { from: artifact(model.digest), to: execution(fit.id), relation: 'produced_by' },
          { from: execution(fit.id), to: artifact(train.digest), relation: 'used' },
          ...inputsOf(fit.id, { lr: 0.1 }),
          { from: artifact(train.digest), to: execution(prepare.id), relation: 'produced_by' },
          { from: execution(prepare.id), to: artifact(raw.digest), relation: 'used' },
          ...inputsOf(prepare.id, { split: 0.8 }),
        ]),
      );
    });

    it('lists each edge once when two executions share upstream inputs', async () => {
      const store = await openStore();
      const raw = sampleArtifact('raw.csv');
      const data = sampleArtifact('data.csv');
      const model = sampleArtifact('model.onnx');
      for (const commit of ['b'.repeat(40), 'c'.repeat(40)]) {
        const run = await store.createRun(sampleRun({ commit }));
        if (commit.startsWith('b')) {
          await store.recordStageExecution(
            sampleExecution(run.id, { stage: 'prepare', deps: [raw], outs: [data] }),
          );
        }
        // The second run restores the same model: a second producer of the same digest.
        await store.recordStageExecution(sampleExecution(run.id, { deps: [data], outs: [model] }));
      }
      const edges = await store.lineage(model.digest);
      const keys = edges.map((e) => JSON.stringify(e));
      expect(new Set(keys).size).toBe(keys.length);
      expect(edges.filter((e) => e.relation === 'produced_by')).toHaveLength(3);
      expect(edges.filter((e) => e.relation === 'used' && e.to.id === raw.digest)).toHaveLength(1);
      expect(await store.lineage(raw.digest)).toEqual([]);
    });
  });

  it('lists artifact and log digests of all runs, or of the newest runs kept', async () => {
    const store = await openStore();
    const [a, b, c, d] = [
      sampleArtifact('a'),
      sampleArtifact('b'),
      sampleArtifact('c'),
      sampleArtifact('d'),
    ];
    const chain = [
      { deps: [a], outs: [b], logDigest: digestOf('log1') },
      { deps: [b], outs: [c], logDigest: null },
      { deps: [c], outs: [d], logDigest: digestOf('log3') },
    ];
    for (const step of chain) {
      const run = await store.createRun(sampleRun());
      await store.recordStageExecution(sampleExecution(run.id, step));
    }
    const digests = (...names: string[]) => new Set(names.map(digestOf));
    expect(await store.referencedDigests()).toEqual(digests('a', 'b', 'c', 'd', 'log1', 'log3'));
    expect(await store.referencedDigests({ keepRuns: 2 })).toEqual(digests('b', 'c', 'd', 'log3'));
    expect(await store.referencedDigests({ keepRuns: 1 })).toEqual(digests('c', 'd', 'log3'));
    expect(await store.referencedDigests({ keepRuns: 0 })).toEqual(new Set());
  });
}

function sortEdges(edges: LineageEdge[]): string[] {
  return edges.map((edge) => JSON.stringify(edge)).sort();
}
