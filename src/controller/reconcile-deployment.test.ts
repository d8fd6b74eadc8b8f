import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { digestOf } from '../registry/metadata-store.fixtures.js';
import type { MetadataStore } from '../registry/types.js';
import type { ModelServer } from '../serving/server.js';
import { linearModel, loadVersion } from '../serving/testing.js';
import { parseDeployment } from '../spec/deployment.js';
import { emptyStatus } from './deployment-status.js';
import {
  LIVE_SERVER_KINDS,
  startLiveServer,
  startReconcileFixture,
  type ReconcileFixture,
} from './live-server.fixtures.js';
import { reconcileDeployment, type DeploymentContext } from './reconcile-deployment.js';

const REVISION = 'main@sha1:' + 'c'.repeat(40);
const NOW = new Date('2026-11-26T12:00:00.000Z');

function deployment(model: string, extra = ''): ReturnType<typeof parseDeployment> {
  return parseDeployment(
    `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: line }\nspec:\n  model: { name: line, ${model} }\n${extra}`,
    'deploy/line.yaml',
  );
}

describe.each(LIVE_SERVER_KINDS)('reconcileDeployment (replace), server %s', (kind) => {
  let fixture: ReconcileFixture;
  let metadata: MetadataStore;
  let server: ModelServer;
  let context: DeploymentContext;

  beforeEach(async () => {
    fixture = await startReconcileFixture(kind, REVISION, () => NOW);
    ({ metadata, server, context } = fixture);
  });
  afterEach(() => fixture.close());

  const served = () => {
    const entry = server.table.models.get('line');
    return entry ? { versions: [...entry.versions.keys()], weights: entry.traffic.weights } : null;
  };

  it('applies the version the spec names, records it, and is a no-op when in sync', async () => {
    const first = await reconcileDeployment(context, deployment('version: 1'), emptyStatus());
    expect(served()).toEqual({ versions: ['1'], weights: [{ version: '1', weight: 1 }] });
    expect(first.status).toMatchObject({
      observedGeneration: deployment('version: 1').generation,
      lastAttemptedRevision: REVISION,
      lastAppliedRevision: REVISION,
      served: { model: 'line', version: '1', digest: digestOf('v1') },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Applied',
          message: 'serving line@1',
          lastTransitionTime: NOW.toISOString(),
        },
      ],
    });
    expect(first.events.map((e) => e.type)).toEqual(['Applied']);
    const again = await reconcileDeployment(context, deployment('version: 1'), first.status);
    expect(again.events).toEqual([]);
    expect(again.status).toEqual(first.status);
    const [audit] = await metadata.listAudit();
    expect(audit).toMatchObject({
      actor: 'controller',
      action: 'deployment.apply',
      revision: REVISION,
      after: { version: '1' },
    });
  });

  it('replaces the served version: the new one takes all traffic and the old one is unloaded', async () => {
    const first = await reconcileDeployment(context, deployment('version: 1'), emptyStatus());
    const second = await reconcileDeployment(context, deployment('version: 2'), first.status);
    expect(served()).toEqual({ versions: ['2'], weights: [{ version: '2', weight: 1 }] });
    expect(second.status.history.map((h) => h.version)).toEqual(['2', '1']);
  });

  it('heals a live change made by hand when selfHeal is on, and only reports it when off', async () => {
    const applied = (await reconcileDeployment(context, deployment('version: 1'), emptyStatus()))
      .status;
    server.load(await loadVersion('line', '2', linearModel(2)));
    server.setTraffic('line', { weights: [{ version: '2', weight: 1 }] });
    const healed = await reconcileDeployment(context, deployment('version: 1'), applied);
    expect(healed.events.map((e) => [e.type, e.reason])).toEqual([['DriftHealed', 'Healed']]);
    expect(served()).toEqual({ versions: ['1'], weights: [{ version: '1', weight: 1 }] });

    server.load(await loadVersion('line', '2', linearModel(2)));
    server.setTraffic('line', {
      weights: [
        { version: '1', weight: 1 },
        { version: '2', weight: 1 },
      ],
    });
    const reported = await reconcileDeployment(
      context,
      deployment('version: 1', '  selfHeal: false\n'),
      healed.status,
    );
    expect(reported.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Drifted', 'True', 'LiveChanged'],
      ['Ready', 'False', 'LiveChanged'],
    ]);
    expect(served()?.versions).toEqual(['1', '2']);
  });

  it('stalls, keeping what is served, when the version is not in the registry', async () => {
    const applied = (await reconcileDeployment(context, deployment('version: 1'), emptyStatus()))
      .status;
    const outcome = await reconcileDeployment(context, deployment('version: 9'), applied);
    expect(outcome.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'VersionNotFound'],
      ['Stalled', 'True', 'VersionNotFound'],
    ]);
    expect(outcome.status.lastAppliedRevision).toBe(REVISION);
    expect(served()?.versions).toEqual(['1']);
    expect(outcome.requeueAfterMs).toBeUndefined();
  });

  it('follows the newest version that passed its gates', async () => {
    await metadata.recordModelCheck({
      name: 'line',
      version: 1,
      kind: 'validation',
      datasetPath: 'd.csv',
      datasetDigest: digestOf('d'),
      configDigest: digestOf('c'),
      passed: true,
      result: {},
      actor: 'ci',
      createdAt: NOW,
    });
    const outcome = await reconcileDeployment(
      context,
      deployment('follow: { branch: main }'),
      emptyStatus(),
    );
    expect(outcome.status.served?.version).toBe('1');
  });

  it('leaves live state alone while suspended', async () => {
    const outcome = await reconcileDeployment(
      context,
      deployment('version: 1', '  suspend: true\n'),
      emptyStatus(),
    );
    expect(served()).toBeNull();
    expect(outcome.status.conditions[0]).toMatchObject({ type: 'Ready', reason: 'Suspended' });
  });
});

describe.each(LIVE_SERVER_KINDS)('reconcileDeployment after a restart, server %s', (kind) => {
  it('applies to an empty server without calling it drift or repeating history', async () => {
    const fixture = await startReconcileFixture(kind, REVISION, () => NOW);
    onTestFinished(() => fixture.close());
    const restartedServer = await startLiveServer(kind);
    onTestFinished(() => restartedServer.server.close());
    const first = await reconcileDeployment(
      fixture.context,
      deployment('version: 1'),
      emptyStatus(),
    );
    const restarted = await reconcileDeployment(
      { ...fixture.context, server: restartedServer.live },
      deployment('version: 1'),
      first.status,
    );
    expect(restarted.events.map((e) => e.type)).toEqual(['Applied']);
    expect(restarted.status.history).toHaveLength(1);
  });
});
