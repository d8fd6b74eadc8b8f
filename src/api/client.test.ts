import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../core/errors.js';
import { sampleExecution, sampleRun } from '../registry/metadata-store.fixtures.js';
import { startTestApi, type TestApi } from './api.fixtures.js';
import { ApiClient } from './client.js';

describe('ApiClient', () => {
  let api: TestApi;
  let client: ApiClient;
  beforeEach(async () => {
    api = await startTestApi();
    client = new ApiClient({ baseUrl: api.url.replace('/api/v1', ''), token: api.secrets.read });
  });
  afterEach(async () => {
    await api.close();
  });

  it('reads runs as the store returns them, times as Dates', async () => {
    const run = await api.store.createRun(sampleRun());
    await api.store.recordStageExecution(sampleExecution(run.id, { logDigest: null }));
    await api.store.finishRun(run.id, 'succeeded', new Date('2026-01-02T04:00:00Z'));
    expect(await client.getRun(run.id)).toEqual(await api.store.getRun(run.id));
    const page = await client.listRuns({ status: 'succeeded', since: new Date('2026-01-01') });
    expect(page).toEqual({ items: await api.store.listRuns(), nextCursor: null });
  });

  it('walks every page of a list', async () => {
    for (let i = 0; i < 5; i++) await api.store.createRun(sampleRun());
    const runs = await client.all((cursor) =>
      client.listRuns({ limit: 2, ...(cursor ? { cursor } : {}) }),
    );
    expect(runs.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
  });

  it('reads a stage log with its size and whether it was cut', async () => {
    const run = await api.store.createRun(sampleRun());
    const { digest } = await api.objects.putBytes('0123456789');
    await api.store.recordStageExecution(sampleExecution(run.id, { logDigest: digest }));
    const log = await client.readStageLog(run.id, 'train', 4);
    expect([log.bytes.toString(), log.size, log.truncated]).toEqual(['6789', 10, true]);
  });

  it('turns answers into errors with codes: 404 NOT_FOUND, 4xx USAGE, unreachable SERVER_FAILED', async () => {
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    const missing = await failure(client.getRun(99));
    expect(isWeftError(missing, 'NOT_FOUND')).toBe(true);
    expect(String(missing)).toContain('no run 99');
    const anonymous = new ApiClient({ baseUrl: api.url });
    const refused = await failure(anonymous.listRuns());
    expect(isWeftError(refused, 'USAGE')).toBe(true);
    expect(String(refused)).toContain('needs a token');
    const nowhere = new ApiClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect(isWeftError(await failure(nowhere.listAudit()), 'SERVER_FAILED')).toBe(true);
  });
});
