import { describe, expect, it } from 'vitest';
import { sampleAuditEntry } from './metadata-store-audit.contract.js';
import {
  digestOf,
  sampleExecution,
  sampleModelVersion,
  sampleRun,
} from './metadata-store.fixtures.js';
import type { MetadataStore, NewApiToken } from './types.js';

/**
 * Part of the MetadataStore contract: what the control-plane API lists with filters and cursors,
 * and its tokens.
 */
export function describeApiQueriesContract(openStore: () => Promise<MetadataStore>): void {
  describe('API lists', () => {
    describeRunAndMetricFilters(openStore);
    describeRegistryPages(openStore);
    describeAuditAndStatusPages(openStore);
  });
  describeApiTokensContract(openStore);
}

const at = (day: number): Date => new Date(Date.UTC(2026, 0, day, 12));

function describeRunAndMetricFilters(openStore: () => Promise<MetadataStore>): void {
  it('filters runs by branch and by a start-time range', async () => {
    const store = await openStore();
    const ids: number[] = [];
    for (const [day, branch] of [
      [1, 'main'],
      [2, 'dev'],
      [3, 'main'],
      [4, 'main'],
    ] as const) {
      ids.push((await store.createRun(sampleRun({ branch, startedAt: at(day) }))).id);
    }
    const idsOf = async (filter: Parameters<MetadataStore['listRuns']>[0]) =>
      (await store.listRuns(filter)).map((run) => run.id);
    expect(await idsOf({ branch: 'dev' })).toEqual([ids[1]]);
    expect(await idsOf({ since: at(2), until: at(4) })).toEqual([ids[2], ids[1]]);
    expect(await idsOf({ branch: 'main', since: at(3) })).toEqual([ids[3], ids[2]]);
    expect(await idsOf({ branch: 'main', before: ids[3], limit: 1 })).toEqual([ids[2]]);
  });

  it('lists the history of one metric across runs, newest first, with its run', async () => {
    const store = await openStore();
    const metric = (key: string, value: number) => ({ file: 'metrics.json', key, value });
    const first = await store.createRun(sampleRun({ branch: 'main', startedAt: at(1) }));
    const second = await store.createRun(sampleRun({ branch: 'dev', startedAt: at(2) }));
    await store.recordStageExecution(
      sampleExecution(first.id, { metrics: [metric('acc', 0.5), metric('loss', 2)] }),
    );
    await store.recordStageExecution(
      sampleExecution(second.id, { stage: 'evaluate', metrics: [metric('acc', 0.75)] }),
    );
    const history = await store.metricHistory('acc');
    expect(history.map((p) => [p.runId, p.stage, p.value])).toEqual([
      [second.id, 'evaluate', 0.75],
      [first.id, 'train', 0.5],
    ]);
    expect(history[1]).toMatchObject({
      file: 'metrics.json',
      key: 'acc',
      pipeline: 'penguins',
      commit: first.commit,
      branch: 'main',
      at: at(1),
    });
    const ofDev = await store.metricHistory('acc', { branch: 'dev' });
    expect(ofDev.map((p) => p.runId)).toEqual([second.id]);
    expect(await store.metricHistory('acc', { stage: 'train', since: at(2) })).toEqual([]);
    const page = await store.metricHistory('acc', { limit: 1 });
    expect(await store.metricHistory('acc', { before: page[0]?.id })).toEqual([history[1]]);
    expect(await store.metricHistory('missing')).toEqual([]);
  });
}

function describeRegistryPages(openStore: () => Promise<MetadataStore>): void {
  it('filters model versions by commit prefix', async () => {
    const store = await openStore();
    for (const [content, commit] of [
      ['a', 'abc'],
      ['b', 'def'],
      ['c', 'abd'],
    ] as const) {
      await store.registerModelVersion(
        sampleModelVersion({ digest: digestOf(content), commit: commit.padEnd(40, '0') }),
      );
    }
    const versionsOf = async (commit: string) =>
      (await store.listModelVersions('credit', { commit })).map((v) => v.version);
    expect(await versionsOf('ab')).toEqual([3, 1]);
    expect(await versionsOf('DEF')).toEqual([2]);
    expect(await versionsOf('%')).toEqual([]);
  });

  it('pages model checks newest first with the before cursor', async () => {
    const store = await openStore();
    await store.registerModelVersion(sampleModelVersion());
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const check = await store.recordModelCheck({
        name: 'credit',
        version: 1,
        kind: 'evaluation',
        datasetPath: 'data/test.csv',
        datasetDigest: digestOf('test.csv'),
        configDigest: digestOf(`config ${i}`),
        passed: null,
        result: { i },
        actor: 'ana',
        createdAt: at(i + 1),
      });
      ids.push(check.id);
    }
    const page = await store.listModelChecks('credit', 1, { before: ids[2], limit: 1 });
    expect(page.map((c) => c.id)).toEqual([ids[1]]);
  });
}

function describeAuditAndStatusPages(openStore: () => Promise<MetadataStore>): void {
  it('filters the audit log by actor, action, object and time', async () => {
    const store = await openStore();
    const entries = [
      await store.appendAudit(sampleAuditEntry({ actor: 'ci', at: at(1) })),
      await store.appendAudit(sampleAuditEntry({ action: 'alias.set', at: at(2) })),
      await store.appendAudit(
        sampleAuditEntry({ actor: 'ci', object: { kind: 'ApiToken', name: 'x' }, at: at(3) }),
      ),
    ];
    const idsOf = async (filter: Parameters<MetadataStore['listAudit']>[0]) =>
      (await store.listAudit(filter)).map((e) => e.id);
    const [a, b, c] = entries.map((e) => e.id);
    expect(await idsOf({ actor: 'ci' })).toEqual([c, a]);
    expect(await idsOf({ action: 'alias.set' })).toEqual([b]);
    expect(await idsOf({ objectKind: 'ModelDeployment', objectName: 'penguins' })).toEqual([b, a]);
    expect(await idsOf({ since: at(2) })).toEqual([c, b]);
    expect(await idsOf({ actor: 'ci', before: c })).toEqual([a]);
  });

  it('pages statuses of a kind by name after a cursor, or lists them all', async () => {
    const store = await openStore();
    for (const name of ['d', 'b', 'a', 'c']) {
      await store.writeStatus('ModelDeployment', name, { name }, at(1));
    }
    await store.writeStatus('GitSource', 'main', {}, at(1));
    const namesOf = async (page?: { after?: string; limit?: number }) =>
      (await store.listStatuses('ModelDeployment', page)).map((s) => s.name);
    expect(await namesOf()).toEqual(['a', 'b', 'c', 'd']);
    expect(await namesOf({ limit: 2 })).toEqual(['a', 'b']);
    expect(await namesOf({ after: 'b', limit: 2 })).toEqual(['c', 'd']);
    expect(await namesOf({ after: 'd' })).toEqual([]);
    expect(await store.readStatusEntry('ModelDeployment', 'c')).toEqual({
      name: 'c',
      status: { name: 'c' },
      updatedAt: at(1),
    });
    expect(await store.readStatusEntry('GitSource', 'c')).toBeUndefined();
  });
}

function describeApiTokensContract(openStore: () => Promise<MetadataStore>): void {
  describe('API tokens', () => {
    const token = (overrides: Partial<NewApiToken> = {}): NewApiToken => ({
      name: 'ci',
      scope: 'deploy',
      hash: 'a'.repeat(64),
      createdAt: at(1),
      ...overrides,
    });

    it('creates a token, finds it by hash, and audits its creation by the actor', async () => {
      const store = await openStore();
      const created = await store.createApiToken(token(), 'ana');
      expect(created).toEqual({ ...token(), id: created?.id, lastUsedAt: null, revokedAt: null });
      expect(await store.findApiToken('a'.repeat(64))).toEqual(created);
      expect(await store.findApiToken('b'.repeat(64))).toBeUndefined();
      const [entry] = await store.listAudit();
      expect(entry).toMatchObject({
        actor: 'ana',
        action: 'token.create',
        object: { kind: 'ApiToken', name: 'ci' },
        after: { scope: 'deploy' },
      });
    });

    it('answers undefined for a name already taken, writing nothing', async () => {
      const store = await openStore();
      await store.createApiToken(token(), 'ana');
      expect(await store.createApiToken(token({ hash: 'c'.repeat(64) }), 'bob')).toBeUndefined();
      expect(await store.listApiTokens()).toHaveLength(1);
      expect(await store.listAudit()).toHaveLength(1);
    });

    it('keeps one token when two stores create the same name at once', async () => {
      const [one, two] = [await openStore(), await openStore()];
      const results = await Promise.all([
        one.createApiToken(token(), 'ana'),
        two.createApiToken(token({ hash: 'c'.repeat(64) }), 'bob'),
      ]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await one.listApiTokens()).toHaveLength(1);
      expect(await one.verifyAudit()).toEqual({ ok: true, entries: 1 });
    });

    it('revokes a token once, audited, keeping it listed; records its last use', async () => {
      const store = await openStore();
      const created = await store.createApiToken(token(), 'ana');
      await store.createApiToken(
        token({ name: 'admin', scope: 'admin', hash: 'd'.repeat(64) }),
        'ana',
      );
      await store.touchApiToken(created?.id ?? 0, at(2));
      const revoked = await store.revokeApiToken('ci', { actor: 'admin', at: at(3) });
      expect(revoked).toMatchObject({ name: 'ci', lastUsedAt: at(2), revokedAt: at(3) });
      expect(await store.revokeApiToken('ci', { actor: 'admin', at: at(4) })).toBeUndefined();
      expect(await store.revokeApiToken('nobody', { actor: 'admin', at: at(4) })).toBeUndefined();
      expect((await store.listApiTokens()).map((t) => [t.name, t.revokedAt])).toEqual([
        ['ci', at(3)],
        ['admin', null],
      ]);
      expect((await store.findApiToken('a'.repeat(64)))?.revokedAt).toEqual(at(3));
      const [entry] = await store.listAudit({ action: 'token.revoke' });
      expect(entry).toMatchObject({ actor: 'admin', object: { kind: 'ApiToken', name: 'ci' } });
    });
  });
}
