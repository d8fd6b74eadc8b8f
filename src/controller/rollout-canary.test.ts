import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataStore } from '../registry/types.js';
import type { ModelServer } from '../serving/server.js';
import type { DeploymentStatus } from './deployment-status.js';
import { LIVE_SERVER_KINDS } from './live-server.fixtures.js';
import { reconcileDeployment, type DeploymentContext } from './reconcile-deployment.js';
import {
  MINUTE,
  ROLLOUT_REVISION as REVISION,
  ROLLOUT_START as START,
  loadedVersions,
  recordRequests,
  rolloutDeployment as deployment,
  splitOf,
  startRolloutFixture,
  type RolloutFixture,
} from './rollout.fixtures.js';

const CANARY = '{ type: canary, canary: { steps: [50, 100], interval: 1m, maxFailedChecks: 1 } }';

describe.each(LIVE_SERVER_KINDS)('canary rollouts, server %s', (kind) => {
  let fixture: RolloutFixture;
  let metadata: MetadataStore;
  let server: ModelServer;
  let clock = START;
  let context: DeploymentContext;
  let primary: DeploymentStatus;

  beforeEach(async () => {
    clock = START;
    fixture = await startRolloutFixture(kind, () => clock);
    ({ metadata, server, context, primary } = fixture);
  });
  afterEach(() => fixture.close());

  const split = () => splitOf(server);
  const traffic = (version: string, status: number, count: number) =>
    recordRequests(server, clock, version, status, count);

  it('starts at the first weight, waits out the interval, then promotes after a passed analysis', async () => {
    const started = await reconcileDeployment(context, deployment(2, CANARY), primary);
    expect(started.events.map((e) => e.type)).toEqual(['CanaryStarted']);
    expect(split()).toEqual({ '1': 50, '2': 50 });
    expect(started.requeueAfterMs).toBe(MINUTE);

    clock += 30_000;
    const waiting = await reconcileDeployment(context, deployment(2, CANARY), started.status);
    expect(waiting).toMatchObject({ events: [], requeueAfterMs: 30_000 });

    clock += 31_000;
    traffic('1', 200, 10);
    traffic('2', 200, 10);
    const promoted = await reconcileDeployment(context, deployment(2, CANARY), waiting.status);
    expect(promoted.events.map((e) => [e.type, e.message])).toEqual([
      ['Promoted', 'canary line@2 promoted: it serves all traffic'],
    ]);
    expect(split()).toEqual({ '2': 1 });
    expect(loadedVersions(server)).toEqual(['2']);
    expect(promoted.status).toMatchObject({ rollout: null, served: { version: '2' } });
    expect(promoted.status.history.map((h) => h.version)).toEqual(['2', '1']);
  });

  it('puts back a split changed by hand between analyses, or only reports it without selfHeal', async () => {
    const started = await reconcileDeployment(context, deployment(2, CANARY), primary);
    await context.server.setTraffic('line', { weights: [{ version: '2', weight: 1 }] });
    clock += 10_000;
    const healed = await reconcileDeployment(context, deployment(2, CANARY), started.status);
    expect(healed.events.map((e) => e.type)).toEqual(['DriftHealed']);
    expect(split()).toEqual({ '1': 50, '2': 50 });
    const [audit] = await metadata.listAudit();
    expect(audit).toMatchObject({
      action: 'deployment.heal',
      after: {
        traffic: {
          weights: [
            { version: '1', weight: 50 },
            { version: '2', weight: 50 },
          ],
        },
      },
    });

    await context.server.setTraffic('line', {
      weights: [
        { version: '1', weight: 9 },
        { version: '2', weight: 1 },
      ],
    });
    const reportOnly = deployment(2, `${CANARY}\n  selfHeal: false`);
    const reported = await reconcileDeployment(context, reportOnly, healed.status);
    expect(reported.events.map((e) => e.type)).toEqual(['DriftDetected']);
    expect(split()).toEqual({ '1': 9, '2': 1 });
  });

  it('rolls back to the primary when the canary fails its analysis, and does not retry the same spec', async () => {
    const started = await reconcileDeployment(context, deployment(2, CANARY), primary);
    clock += MINUTE + 1;
    traffic('2', 500, 10);
    const rolledBack = await reconcileDeployment(context, deployment(2, CANARY), started.status);
    expect(rolledBack.events.map((e) => [e.type, e.severity, e.message])).toEqual([
      [
        'RolledBack',
        'error',
        'canary line@2 rolled back after 1 failed analyses (errorRate 1 > 0.1); line@1 serves',
      ],
    ]);
    expect(split()).toEqual({ '1': 1 });
    expect(rolledBack.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'True', 'RolledBack'],
      ['RolloutFailed', 'True', 'RolledBack'],
    ]);
    expect(rolledBack.status.rolledBack).toMatchObject({ version: '2', revision: REVISION });
    const [audit] = await metadata.listAudit();
    expect(audit).toMatchObject({ action: 'deployment.rollback', after: { version: '1' } });

    clock += MINUTE;
    const again = await reconcileDeployment(context, deployment(2, CANARY), rolledBack.status);
    expect(again.events).toEqual([]);
    expect(split()).toEqual({ '1': 1 });
  });

  it('after a rollback, keeps the version rolled back to serving: healed by hand or on a restarted server', async () => {
    const started = await reconcileDeployment(context, deployment(2, CANARY), primary);
    clock += MINUTE + 1;
    traffic('2', 500, 10);
    const rolledBack = await reconcileDeployment(context, deployment(2, CANARY), started.status);
    await server.unload('line', '1');
    const restarted = await reconcileDeployment(context, deployment(2, CANARY), rolledBack.status);
    expect(split()).toEqual({ '1': 1 });
    expect(restarted.events.map((e) => e.type)).toEqual(['Applied']);
    expect(restarted.status).toMatchObject({
      rolledBack: { version: '2' },
      history: rolledBack.status.history,
      lastAppliedRevision: rolledBack.status.lastAppliedRevision,
    });
    expect(restarted.status.conditions.find((c) => c.type === 'Ready')?.reason).toBe('RolledBack');

    await context.server.load(
      (await metadata.getModelVersion('line', { version: 2 }))!,
      deployment(2, CANARY),
    );
    await context.server.setTraffic('line', { weights: [{ version: '2', weight: 1 }] });
    const healed = await reconcileDeployment(context, deployment(2, CANARY), restarted.status);
    expect(healed.events.map((e) => e.type)).toEqual(['DriftHealed']);
    expect(split()).toEqual({ '1': 1 });
  });

  it.each([
    [
      'canary',
      '{ type: canary, canary: { steps: [50, 100], interval: 1m, maxFailedChecks: 2 } }',
      'canary line@2',
      { '1': 50, '2': 50 },
    ],
    [
      'blue-green',
      '{ type: bluegreen, bluegreen: { rollbackWindow: 5m, interval: 1m, maxFailedChecks: 2 } }',
      'blue-green: line@2',
      { '1': 0, '2': 1 },
    ],
  ])(
    '%s: tells a failed analysis below maxFailedChecks, keeps the split and analyses again after an interval',
    async (_, strategy, subject, during) => {
      const started = await reconcileDeployment(context, deployment(2, strategy), primary);
      clock += MINUTE + 1;
      traffic('2', 500, 10);
      const failed = await reconcileDeployment(context, deployment(2, strategy), started.status);
      expect(failed.events).toEqual([
        {
          type: 'AnalysisFailed',
          severity: 'warning',
          object: { kind: 'ModelDeployment', name: 'line' },
          reason: 'AnalysisFailed',
          revision: REVISION,
          message: `${subject} failed a check (1 of 2): errorRate 1 > 0.1`,
        },
      ]);
      expect(failed.requeueAfterMs).toBe(MINUTE);
      expect(failed.status.rollout).toMatchObject({
        step: 0,
        failedChecks: 1,
        stepStartedAt: new Date(clock).toISOString(),
        lastChecks: [{ name: 'errorRate', value: 1, threshold: 0.1, bound: 'max', passed: false }],
      });
      expect(split()).toEqual(during);

      clock += MINUTE + 1;
      traffic('2', 500, 10);
      const rolledBack = await reconcileDeployment(context, deployment(2, strategy), failed.status);
      expect(rolledBack.events.map((e) => e.type)).toEqual(['RolledBack']);
      expect(rolledBack.events[0]?.message).toContain('rolled back after 2 failed analyses');
      expect(split()).toEqual({ '1': 1 });
    },
  );

  it('waits without judging while too few requests reached the canary', async () => {
    const started = await reconcileDeployment(context, deployment(2, CANARY), primary);
    clock += MINUTE + 1;
    traffic('2', 500, 3);
    const outcome = await reconcileDeployment(context, deployment(2, CANARY), started.status);
    expect(outcome.events).toEqual([]);
    expect(outcome.status.rollout).toEqual(started.status.rollout);
    expect(split()).toEqual({ '1': 50, '2': 50 });
    expect(outcome.status.conditions.find((c) => c.type === 'Reconciling')?.message).toBe(
      'canary line@2 waits for traffic: 3 requests reached the new version, fewer than the 5 an analysis needs',
    );
  });

  const SHADOW = '{ type: shadow, shadow: { duration: 1m, minRequests: 5 } }';
  const shadowed = (agree: boolean, count: number) => {
    for (let i = 0; i < count; i++) server.shadows.record('line', '2', { at: clock - 1000, agree });
  };

  it('shadows the new version, then promotes it when it agreed with the primary', async () => {
    const started = await reconcileDeployment(context, deployment(2, SHADOW), primary);
    expect(started.events.map((e) => e.type)).toEqual(['ShadowStarted']);
    expect(server.table.models.get('line')?.traffic).toEqual({
      weights: [{ version: '1', weight: 1 }],
      shadow: '2',
    });
    clock += MINUTE + 1;
    shadowed(true, 10);
    const promoted = await reconcileDeployment(context, deployment(2, SHADOW), started.status);
    expect(promoted.events.map((e) => [e.type, e.message])).toEqual([
      ['Promoted', 'shadow: line@2 promoted after its shadow analysis: it serves all traffic'],
    ]);
    expect(split()).toEqual({ '2': 1 });
  });

  it('waits without judging while too few requests were shadowed', async () => {
    const started = await reconcileDeployment(context, deployment(2, SHADOW), primary);
    clock += MINUTE + 1;
    shadowed(true, 3);
    const outcome = await reconcileDeployment(context, deployment(2, SHADOW), started.status);
    expect(outcome).toMatchObject({ events: [], requeueAfterMs: 6_000 });
    expect(outcome.status.rollout).toEqual(started.status.rollout);
    expect(outcome.status.conditions.find((c) => c.type === 'Reconciling')?.message).toBe(
      'shadow: line@2 waits for traffic: 3 requests were shadowed, fewer than the 5 a verdict needs',
    );
  });

  it('drops a shadow that disagreed too often, the primary never having stopped answering', async () => {
    const started = await reconcileDeployment(context, deployment(2, SHADOW), primary);
    clock += MINUTE + 1;
    shadowed(true, 5);
    shadowed(false, 5);
    const rolledBack = await reconcileDeployment(context, deployment(2, SHADOW), started.status);
    expect(rolledBack.events.map((e) => [e.type, e.message])).toEqual([
      [
        'RolledBack',
        'shadow: line@2 rolled back: its shadow analysis failed (shadowAgreement 0.5 < 0.98, shadowErrorRate 0 <= 0.1); line@1 kept serving',
      ],
    ]);
    expect(rolledBack.status.rolledBack?.version).toBe('2');
    expect(server.table.models.get('line')?.traffic).toEqual({
      weights: [{ version: '1', weight: 1 }],
    });
    expect(loadedVersions(server)).toEqual(['1']);
  });
});
