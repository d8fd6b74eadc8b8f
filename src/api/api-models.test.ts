import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  digestOf,
  sampleAliasChange,
  sampleArtifact,
  sampleExecution,
  sampleModelVersion,
  sampleRun,
} from '../registry/metadata-store.fixtures.js';
import { startTestApi, walkPages, type TestApi } from './api.fixtures.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe('models API', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
    // credit@1..3 (the first built by a recorded run, so it has lineage), fraud@1.
    const run = await api.store.createRun(sampleRun());
    const artifact = sampleArtifact('models/credit.onnx', 'credit-1');
    await api.store.recordStageExecution(sampleExecution(run.id, { outs: [artifact] }));
    const commits = ['abc', 'def', 'abd'].map((prefix) => prefix.padEnd(40, '0'));
    for (const [i, commit] of commits.entries()) {
      await api.store.registerModelVersion(
        sampleModelVersion({ digest: digestOf(`credit-${i + 1}`), commit, runId: run.id }),
      );
    }
    await api.store.registerModelVersion(sampleModelVersion({ name: 'fraud' }));
    await api.store.setAlias('credit', 'production', 1, sampleAliasChange());
    await api.store.setAlias('credit', 'staging', 3, sampleAliasChange());
  });
  afterEach(async () => {
    await api.close();
  });

  const put = (path: string, body: unknown, token: string) =>
    api.call(path, { method: 'PUT', body: JSON.stringify(body), token });

  it('lists models by name, paged, filtered by prefix and alias', async () => {
    const pages = await walkPages<{ name: string; latestVersion: number }>(api, '/models?limit=1');
    expect(pages.flatMap((p) => p.items)).toEqual([
      { name: 'credit', latestVersion: 3, versionCount: 3, aliases: { production: 1, staging: 3 } },
      { name: 'fraud', latestVersion: 1, versionCount: 1, aliases: {} },
    ]);
    const byPrefix = await api.get<Page<{ name: string }>>('/models?prefix=fr');
    expect(byPrefix.items.map((m) => m.name)).toEqual(['fraud']);
    const byAlias = await api.get<Page<{ name: string }>>('/models?alias=production');
    expect(byAlias.items.map((m) => m.name)).toEqual(['credit']);
  });

  it("pages a model's versions newest first, filtered by commit; 404 for no model", async () => {
    const pages = await walkPages<{ version: number }>(api, '/models/credit/versions?limit=2');
    expect(pages.map((p) => p.items.map((v) => v.version))).toEqual([[3, 2], [1]]);
    const ab = await api.get<Page<{ version: number }>>('/models/credit/versions?commit=ab');
    expect(ab.items.map((v) => v.version)).toEqual([3, 1]);
    const missing = await api.call('/models/nope/versions');
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no model nope' }]);
  });

  it('shows a version by number, alias or digest with signature, aliases and lineage', async () => {
    const byNumber = await api.get<Record<string, unknown>>('/models/credit/versions/1');
    expect(byNumber).toMatchObject({
      name: 'credit',
      version: 1,
      aliases: ['production'],
      signature: sampleModelVersion().signature,
      createdAt: '2026-01-02T03:04:07.000Z',
    });
    expect((byNumber.lineage as Array<{ relation: string }>).map((e) => e.relation)).toContain(
      'produced_by',
    );
    const byAlias = await api.get<{ version: number }>('/models/credit/versions/staging');
    expect(byAlias.version).toBe(3);
    const byDigest = await api.get<{ version: number }>(
      `/models/credit/versions/${digestOf('credit-2')}`,
    );
    expect(byDigest.version).toBe(2);
    expect((await api.call('/models/credit/versions/9')).status).toBe(404);
    expect((await api.call('/models/credit/versions/canary')).status).toBe(404);
  });

  it('lists the evaluations and gate verdicts of a version, filtered by kind', async () => {
    const check = (kind: 'evaluation' | 'validation', passed: boolean | null) =>
      api.store.recordModelCheck({
        name: 'credit',
        version: 2,
        kind,
        datasetPath: 'data/test.csv',
        datasetDigest: digestOf('test'),
        configDigest: digestOf('config'),
        passed,
        result: { gates: [{ metric: 'accuracy', passed }] },
        actor: 'ana',
        createdAt: new Date('2026-02-01T00:00:00Z'),
      });
    const evaluation = await check('evaluation', null);
    const verdict = await check('validation', true);
    const all = await walkPages<{ id: number }>(api, '/models/credit/versions/2/checks?limit=1');
    expect(all.flatMap((p) => p.items.map((c) => c.id))).toEqual([verdict.id, evaluation.id]);
    const gates = await api.get<Page<{ passed: boolean }>>(
      '/models/credit/versions/2/checks?kind=validation',
    );
    expect(gates.items).toEqual([{ ...verdict, createdAt: '2026-02-01T00:00:00.000Z' }]);
    expect((await api.call('/models/credit/versions/2/checks?kind=score')).status).toBe(400);
  });

  it("lists a model's aliases and their history, filtered and paged", async () => {
    const aliases = await api.get<Page<unknown>>('/models/credit/aliases');
    expect(aliases.items).toEqual([
      { alias: 'production', version: 1 },
      { alias: 'staging', version: 3 },
    ]);
    await api.store.setAlias('credit', 'production', 2, sampleAliasChange({ actor: 'bob' }));
    const history = await walkPages<{ alias: string; version: number }>(
      api,
      '/models/credit/alias-history?limit=2',
    );
    expect(history.flatMap((p) => p.items.map((e) => [e.alias, e.version]))).toEqual([
      ['production', 1],
      ['staging', 3],
      ['production', 2],
    ]);
    const production = await api.get<Page<{ previousVersion: number | null }>>(
      '/models/credit/alias-history?alias=production',
    );
    expect(production.items.map((e) => e.previousVersion)).toEqual([null, 1]);
    expect((await api.call('/models/nope/aliases')).status).toBe(404);
  });

  describe('moving aliases', () => {
    it('moves an alias with a deploy token, audited with the token name', async () => {
      const answer = await put(
        '/models/credit/aliases/production',
        { version: 3, reason: 'better recall' },
        api.secrets.deploy,
      );
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({
        name: 'credit',
        alias: 'production',
        version: 3,
        previousVersion: 1,
        actor: 'deploy-bot',
        reason: 'better recall',
      });
      expect((await api.store.getModelVersion('credit', { alias: 'production' }))?.version).toBe(3);
      const [entry] = await api.store.listAudit({ action: 'alias.set' });
      expect(entry).toMatchObject({
        actor: 'deploy-bot',
        object: { kind: 'ModelAlias', name: 'credit:production' },
      });
    });

    it('refuses a read token (403), a missing version (404) and a bad body (400)', async () => {
      const forbidden = await put(
        '/models/credit/aliases/production',
        { version: 3 },
        api.secrets.read,
      );
      expect(forbidden.status).toBe(403);
      expect((await api.store.getModelVersion('credit', { alias: 'production' }))?.version).toBe(1);
      const missing = await put(
        '/models/credit/aliases/production',
        { version: 9 },
        api.secrets.deploy,
      );
      expect(missing.status).toBe(404);
      const cases: Array<[unknown, string]> = [
        [{}, 'body property version is required'],
        [{ version: 'two' }, 'body property version must be integer (got "two")'],
        [{ version: 2, why: 'x' }, 'unknown body property why'],
      ];
      for (const [body, error] of cases) {
        const answer = await put('/models/credit/aliases/production', body, api.secrets.deploy);
        expect([answer.status, await answer.json()]).toEqual([400, { error }]);
      }
      const badAlias = await put('/models/credit/aliases/-x', { version: 2 }, api.secrets.deploy);
      expect(badAlias.status).toBe(400);
    });

    it('removes an alias with a deploy token; 404 when it is not set', async () => {
      const remove = () =>
        api.call('/models/credit/aliases/staging?reason=retired', {
          method: 'DELETE',
          token: api.secrets.deploy,
        });
      const removed = await remove();
      expect(await removed.json()).toMatchObject({
        alias: 'staging',
        version: null,
        previousVersion: 3,
        actor: 'deploy-bot',
        reason: 'retired',
      });
      expect((await remove()).status).toBe(404);
      const [entry] = await api.store.listAudit({ action: 'alias.unset' });
      expect(entry?.actor).toBe('deploy-bot');
    });
  });
});
