import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '../controller/deployment-status.js';
import { sampleAuditEntry } from '../registry/metadata-store-audit.contract.js';
import type { TimeWindow } from '../serving/evidence/index.js';
import type { LiveEvidence } from '../serving/live-evidence.js';
import { startTestApi, walkPages, type TestApi } from './api.fixtures.js';
import type { ApiControllerHooks, ApiLiveServer } from './context.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const AT = '2026-11-26T10:00:00.000Z';

function status(overrides: Partial<DeploymentStatus> = {}): DeploymentStatus {
  return {
    observedGeneration: 'sha256:gen',
    lastAttemptedRevision: 'main@sha1:abc',
    lastAppliedRevision: 'main@sha1:abc',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Applied',
        message: 'serving',
        lastTransitionTime: AT,
      },
    ],
    served: { model: 'penguins', version: '2', digest: 'sha256:two' },
    history: [{ revision: 'main@sha1:abc', version: '2', digest: 'sha256:two', appliedAt: AT }],
    rollout: null,
    rolledBack: null,
    ...overrides,
  };
}

const stalled = status({
  conditions: [
    {
      type: 'Ready',
      status: 'False',
      reason: 'VersionNotFound',
      message: 'no v9',
      lastTransitionTime: AT,
    },
    {
      type: 'Stalled',
      status: 'True',
      reason: 'VersionNotFound',
      message: 'no v9',
      lastTransitionTime: AT,
    },
  ],
});

const canary = status({
  rollout: {
    primary: { version: '2', digest: 'sha256:two' },
    canary: { version: '3', digest: 'sha256:three' },
    step: 1,
    failedChecks: 0,
    stepStartedAt: AT,
    revision: 'main@sha1:def',
    lastChecks: [{ name: 'errorRate', value: 0.01, threshold: 0.05, bound: 'max', passed: true }],
  },
});

/** A live server that answers what it was asked, so the test sees what the API passed on. */
function fakeLive(): ApiLiveServer & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    describe: (model) =>
      Promise.resolve(
        model === 'penguins'
          ? { versions: new Set(['3', '2']), traffic: { weights: [{ version: '2', weight: 100 }] } }
          : undefined,
      ),
    evidence(model: string, version: string, window: TimeWindow, baseline?: string) {
      asked.push({ model, version, window, baseline });
      const evidence: LiveEvidence = {
        model,
        version,
        window,
        requests: { requests: 10, errors: 0, errorRate: 0, p99LatencyMs: 3 },
        onlineAccuracy: {
          accuracy: null,
          labelled: 0,
        } as unknown as LiveEvidence['onlineAccuracy'],
        inputDrift: null,
        predictionDrift: null,
      };
      return Promise.resolve(evidence);
    },
  };
}

function fakeController(): ApiControllerHooks & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    requestReconcile: (name) => void calls.push(`reconcile ${name ?? '*'}`),
    suspend: (name) => void calls.push(`suspend ${name}`),
    resume: (name) => void calls.push(`resume ${name}`),
  };
}

describe('deployments API', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.close();
  });

  async function start(deps: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
    api = await startTestApi(deps);
    return api;
  }

  it('pages deployments by name, and filters by readiness, condition and model', async () => {
    await start();
    const names = Array.from({ length: 12 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    for (const [i, name] of names.entries()) {
      const served = { model: i % 2 ? 'iris' : 'penguins', version: '1', digest: 'sha256:x' };
      await api.store.writeStatus(
        'ModelDeployment',
        name,
        i % 3 ? status({ served }) : stalled,
        new Date(AT),
      );
    }
    const all = await walkPages<{ name: string }>(api, '/deployments?limit=5');
    expect(all.map((p) => p.items.length)).toEqual([5, 5, 2]);
    expect(all.flatMap((p) => p.items.map((d) => d.name))).toEqual(names);
    const notReady = await walkPages<{ name: string }>(api, '/deployments?ready=False&limit=2');
    expect(notReady.flatMap((p) => p.items.map((d) => d.name))).toEqual([
      'd00',
      'd03',
      'd06',
      'd09',
    ]);
    const stalledOnes = await api.get<Page<{ name: string }>>('/deployments?condition=Stalled');
    expect(stalledOnes.items).toHaveLength(4);
    const iris = await walkPages<{ name: string }>(api, '/deployments?model=iris&limit=1');
    expect(iris.flatMap((p) => p.items.map((d) => d.name))).toEqual(['d01', 'd05', 'd07', 'd11']);
    expect((await api.call('/deployments?ready=yes')).status).toBe(400);
  });

  it('shows a deployment with conditions, history, rollout analysis and live traffic', async () => {
    await start({ deps: { live: fakeLive() } });
    await api.store.writeStatus('ModelDeployment', 'penguins', canary, new Date(AT));
    const detail = await api.get<Record<string, unknown>>('/deployments/penguins');
    expect(detail).toEqual({
      name: 'penguins',
      updatedAt: AT,
      ...canary,
      live: { versions: ['2', '3'], traffic: { weights: [{ version: '2', weight: 100 }] } },
    });
    expect((await api.call('/deployments/nope')).status).toBe(404);
  });

  it('passes on status fields a newer controller adds', async () => {
    await start();
    const newer = {
      ...status(),
      shadow: { agreement: 0.99 },
      rollout: { ...canary.rollout, strategy: 'canary' },
    };
    await api.store.writeStatus('ModelDeployment', 'penguins', newer, new Date(AT));
    const detail = await api.get<Record<string, unknown>>('/deployments/penguins');
    expect(detail).toMatchObject({
      shadow: { agreement: 0.99 },
      rollout: { strategy: 'canary' },
      live: null,
    });
  });

  it("answers the served version's live evidence and the canary's against it", async () => {
    const live = fakeLive();
    await start({ deps: { live, now: () => new Date(AT) } });
    await api.store.writeStatus('ModelDeployment', 'penguins', canary, new Date(AT));
    const drift = await api.get<{ served: { version: string }; canary: { version: string } }>(
      '/deployments/penguins/drift?from=1000',
    );
    expect([drift.served.version, drift.canary.version]).toEqual(['2', '3']);
    const to = Date.parse(AT);
    expect(live.asked).toEqual([
      { model: 'penguins', version: '3', window: { from: 1000, to }, baseline: '2' },
      { model: 'penguins', version: '2', window: { from: 1000, to }, baseline: undefined },
    ]);
    await api.store.writeStatus('ModelDeployment', 'idle', status({ served: null }), new Date(AT));
    expect((await api.call('/deployments/idle/drift')).status).toBe(409);
    expect((await api.call('/deployments/penguins/drift?to=soon')).status).toBe(400);
  });

  it('answers 503 for drift without a live server', async () => {
    await start();
    await api.store.writeStatus('ModelDeployment', 'penguins', status(), new Date(AT));
    expect((await api.call('/deployments/penguins/drift')).status).toBe(503);
  });

  it('asks the controller to reconcile, suspend and resume, audited with the token name', async () => {
    const controller = fakeController();
    await start({ deps: { controller } });
    await api.store.writeStatus('ModelDeployment', 'penguins', status(), new Date(AT));
    const post = (path: string, token = api.secrets.deploy) =>
      api.call(path, { method: 'POST', token });
    for (const action of ['reconcile', 'suspend', 'resume']) {
      const answer = await post(`/deployments/penguins/${action}`);
      expect([answer.status, await answer.json()]).toEqual([
        202,
        { action, name: 'penguins', accepted: true },
      ]);
    }
    expect((await post('/reconcile')).status).toBe(202);
    expect(controller.calls).toEqual([
      'reconcile penguins',
      'suspend penguins',
      'resume penguins',
      'reconcile *',
    ]);
    const audit = await api.store.listAudit({ actor: 'deploy-bot' });
    expect(audit.map((e) => [e.action, e.object.name])).toEqual([
      ['deployment.reconcile-requested', '*'],
      ['deployment.resume-requested', 'penguins'],
      ['deployment.suspend-requested', 'penguins'],
      ['deployment.reconcile-requested', 'penguins'],
    ]);
    expect((await post('/deployments/penguins/suspend', api.secrets.read)).status).toBe(403);
    expect((await post('/deployments/nope/suspend')).status).toBe(404);
    expect(controller.calls).toHaveLength(4);
  });

  it('answers 501 for suspend and resume when the controller cannot do them at runtime', async () => {
    const calls: string[] = [];
    await start({
      deps: { controller: { requestReconcile: (name) => void calls.push(name ?? '*') } },
    });
    await api.store.writeStatus('ModelDeployment', 'penguins', status(), new Date(AT));
    const post = (action: string) =>
      api.call(`/deployments/penguins/${action}`, { method: 'POST', token: api.secrets.deploy });
    expect((await post('suspend')).status).toBe(501);
    expect((await post('resume')).status).toBe(501);
    expect((await post('reconcile')).status).toBe(202);
    expect(calls).toEqual(['penguins']);
  });

  it('answers 503 for controller actions when no controller runs here', async () => {
    await start();
    await api.store.writeStatus('ModelDeployment', 'penguins', status(), new Date(AT));
    const answer = await api.call('/deployments/penguins/reconcile', {
      method: 'POST',
      token: api.secrets.deploy,
    });
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: string }).error).toMatch(/no controller/);
    expect(await api.store.listAudit({ actor: 'deploy-bot' })).toEqual([]);
  });
});

describe('audit and events API', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.close();
  });

  it('pages the audit log newest first and filters by actor, action, object and time', async () => {
    api = await startTestApi();
    // Three token.create entries exist already (one per test token).
    await api.store.appendAudit(sampleAuditEntry({ at: new Date('2030-01-01T00:00:00Z') }));
    await api.store.appendAudit(
      sampleAuditEntry({ actor: 'ana', action: 'alias.set', at: new Date('2030-01-02T00:00:00Z') }),
    );
    const all = await walkPages<{ id: number }>(api, '/audit?limit=2');
    expect(all.flatMap((p) => p.items.map((e) => e.id))).toEqual([5, 4, 3, 2, 1]);
    const cases: Array<[string, number[]]> = [
      ['actor=ana', [5]],
      ['action=deployment.apply', [4]],
      ['objectKind=ApiToken&objectName=read-bot', [1]],
      ['since=2030-01-01T12:00:00Z', [5]],
      ['before=3&limit=1', [2]],
    ];
    for (const [query, ids] of cases) {
      const page = await api.get<Page<{ id: number }>>(`/audit?${query}`);
      expect(
        page.items.map((e) => e.id),
        query,
      ).toEqual(ids);
    }
    expect(await api.get('/audit/verify')).toEqual({ ok: true, entries: 5 });
  });

  it('tells audit entries as events, filtered by type and object', async () => {
    api = await startTestApi();
    await api.store.appendAudit(sampleAuditEntry({ actor: 'controller' }));
    const events = await api.get<Page<Record<string, unknown>>>('/events?type=deployment.apply');
    expect(events.items).toEqual([
      {
        id: 'audit-4',
        at: '2026-11-26T10:00:00.000Z',
        type: 'deployment.apply',
        object: { kind: 'ModelDeployment', name: 'penguins' },
        actor: 'controller',
        revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
        message:
          'controller: deployment.apply ModelDeployment/penguins ({"version":1} -> {"version":2,"at":"2026-11-26T10:00:00.000Z"})',
      },
    ]);
    const tokens = await walkPages(api, '/events?objectKind=ApiToken&limit=2');
    expect(tokens.flatMap((p) => p.items)).toHaveLength(3);
    expect((await api.call('/events?action=x')).status).toBe(400);
  });
});
