import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleArtifact, sampleExecution, sampleRun } from '../registry/metadata-store.fixtures.js';
import type { RunRecord } from '../registry/types.js';
import { startTestApi, walkPages, type TestApi } from './api.fixtures.js';
import { encodeCursor } from './pagination.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
type RunJson = Omit<RunRecord, 'startedAt' | 'finishedAt'> & { startedAt: string };

const day = (n: number): Date => new Date(Date.UTC(2026, 0, n, 12));

describe('runs API', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => {
    await api.close();
  });

  async function createRuns(count: number, overrides = {}): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push((await api.store.createRun(sampleRun(overrides))).id);
    return ids;
  }

  it('walks every page of runs newest first, without duplicates or gaps', async () => {
    const ids = await createRuns(7);
    const pages = await walkPages<RunJson>(api, '/runs?limit=3');
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual([...ids].reverse());
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('keeps the pages of a walk stable when runs are added meanwhile', async () => {
    const ids = await createRuns(5);
    const first = await api.get<Page<RunJson>>('/runs?limit=2');
    await createRuns(3);
    const rest = await walkPages<RunJson>(api, '/runs?limit=2', { cursor: first.nextCursor });
    const seen = [...first.items, ...rest.flatMap((p) => p.items)].map((r) => r.id);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters runs by status, branch, commit, pipeline, time and id', async () => {
    const [a, b, c, d] = [
      await api.store.createRun(sampleRun({ branch: 'main', startedAt: day(1) })),
      await api.store.createRun(
        sampleRun({ branch: 'dev', commit: `abc${'0'.repeat(37)}`, startedAt: day(2) }),
      ),
      await api.store.createRun(sampleRun({ pipeline: 'other', startedAt: day(3) })),
      await api.store.createRun(sampleRun({ startedAt: day(4) })),
    ].map((run) => run.id);
    await api.store.finishRun(b ?? 0, 'failed', day(2));
    const cases: Array<[string, Array<number | undefined>]> = [
      ['status=failed', [b]],
      ['status=running&branch=main', [d, c, a]],
      ['branch=dev', [b]],
      ['commit=ABC0', [b]],
      ['pipeline=other', [c]],
      [`since=${day(2).toISOString()}&until=${day(4).toISOString()}`, [c, b]],
      [`since=${day(3).getTime()}`, [d, c]],
      [`before=${c}`, [b, a]],
    ];
    for (const [query, expected] of cases) {
      const page = await api.get<Page<RunJson>>(`/runs?${query}`);
      expect(
        page.items.map((r) => r.id),
        query,
      ).toEqual(expected);
    }
  });

  it('answers 400 naming the parameter for bad list parameters', async () => {
    const cases: Array<[string, RegExp]> = [
      ['limit=0', /query parameter limit must be >= 1/],
      ['limit=501', /query parameter limit must be <= 500/],
      ['limit=ten', /query parameter limit must be integer/],
      ['status=done', /query parameter status must be equal to one of the allowed values/],
      ['commit=xyz', /query parameter commit must match/],
      ['since=yesterday', /query parameter since must be an ISO-8601 time/],
      ['cursor=nonsense', /query parameter cursor is not a cursor this API issued/],
      [`cursor=${encodeCursor('audit', 3)}`, /cursor belongs to another list \(audit\)/],
      ['stauts=failed', /unknown query parameter stauts/],
    ];
    for (const [query, message] of cases) {
      const response = await api.call(`/runs?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error, query).toMatch(message);
    }
  });

  it('shows a run with its stage executions', async () => {
    const [id] = await createRuns(1);
    const execution = sampleExecution(id ?? 0);
    await api.store.recordStageExecution(execution);
    const run = await api.get<RunJson & { stages: Array<Record<string, unknown>> }>(`/runs/${id}`);
    expect(run).toMatchObject({ id, pipeline: 'penguins', branch: 'main', status: 'running' });
    expect(run.stages).toEqual([
      {
        ...execution,
        id: expect.any(Number) as unknown,
        startedAt: execution.startedAt.toISOString(),
      },
    ]);
    expect((await api.call('/runs/999')).status).toBe(404);
    const bad = await api.call('/runs/abc');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'path parameter id must be integer (got "abc")' });
  });

  describe('stage logs', () => {
    async function runWithLog(text: string | null): Promise<number> {
      const [id] = await createRuns(1);
      const logDigest = text === null ? null : (await api.objects.putBytes(text)).digest;
      await api.store.recordStageExecution(sampleExecution(id ?? 0, { logDigest }));
      return id ?? 0;
    }

    it('answers the log as text, or its end when longer than maxBytes', async () => {
      const id = await runWithLog('epoch 1\nepoch 2\ndone\n');
      const whole = await api.call(`/runs/${id}/stages/train/log`);
      expect(whole.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(whole.headers.get('x-weft-log-truncated')).toBe('false');
      expect(await whole.text()).toBe('epoch 1\nepoch 2\ndone\n');
      const tail = await api.call(`/runs/${id}/stages/train/log?maxBytes=5`);
      expect(await tail.text()).toBe('done\n');
      expect(tail.headers.get('x-weft-log-truncated')).toBe('true');
      expect(tail.headers.get('x-weft-log-size')).toBe('21');
    });

    it('answers 404 for a stage without a log, and 503 without an object store', async () => {
      const id = await runWithLog(null);
      const missing = await api.call(`/runs/${id}/stages/evaluate/log`);
      expect([missing.status, await missing.json()]).toEqual([
        404,
        { error: `run ${id} has no stage evaluate` },
      ]);
      expect((await api.call(`/runs/${id}/stages/train/log`)).status).toBe(404);
      const bare = await startTestApi({ deps: { objects: undefined } });
      try {
        const run = await bare.store.createRun(sampleRun());
        await bare.store.recordStageExecution(sampleExecution(run.id));
        const answer = await bare.call(`/runs/${run.id}/stages/train/log`);
        expect(answer.status).toBe(503);
      } finally {
        await bare.close();
      }
    });
  });

  it("lists a run's metrics by file and key, filtered by file", async () => {
    const [id] = await createRuns(1);
    const metric = (file: string, key: string, value: number) => ({ file, key, value });
    await api.store.recordStageExecution(
      sampleExecution(id ?? 0, {
        metrics: [metric('m.json', 'b', 2), metric('m.json', 'a', 1), metric('e.json', 'z', 3)],
      }),
    );
    const pages = await walkPages<{ key: string }>(api, `/runs/${id}/metrics?limit=2`);
    expect(pages.flatMap((p) => p.items.map((m) => m.key))).toEqual(['z', 'a', 'b']);
    const filtered = await api.get<Page<{ key: string }>>(`/runs/${id}/metrics?file=m.json`);
    expect(filtered.items.map((m) => m.key)).toEqual(['a', 'b']);
    expect((await api.call('/runs/42/metrics')).status).toBe(404);
  });

  it('lists the history of a metric across runs, filtered and paged', async () => {
    for (const [branch, value] of [
      ['main', 0.5],
      ['dev', 0.6],
      ['main', 0.7],
    ] as const) {
      const run = await api.store.createRun(sampleRun({ branch }));
      await api.store.recordStageExecution(
        sampleExecution(run.id, { metrics: [{ file: 'metrics.json', key: 'test.acc', value }] }),
      );
    }
    const pages = await walkPages<{ value: number; branch: string }>(
      api,
      '/metrics/test.acc/history?limit=2',
    );
    expect(pages.flatMap((p) => p.items.map((m) => m.value))).toEqual([0.7, 0.6, 0.5]);
    const main = await api.get<Page<{ value: number }>>('/metrics/test.acc/history?branch=main');
    expect(main.items.map((m) => m.value)).toEqual([0.7, 0.5]);
    expect((await api.get<Page<unknown>>('/metrics/nothing/history')).items).toEqual([]);
  });

  it('answers the lineage of an artifact, 404 for one never recorded', async () => {
    const [id] = await createRuns(1);
    const out = sampleArtifact('model.onnx');
    await api.store.recordStageExecution(sampleExecution(id ?? 0, { outs: [out] }));
    const lineage = await api.get<{ digest: string; edges: Array<{ relation: string }> }>(
      `/lineage/${out.digest}`,
    );
    expect(lineage.digest).toBe(out.digest);
    expect(lineage.edges.map((e) => e.relation)).toContain('produced_by');
    expect((await api.call(`/lineage/sha256:${'0'.repeat(64)}`)).status).toBe(404);
    expect((await api.call('/lineage/md5:abc')).status).toBe(400);
  });
});
