import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelServer } from '../serving/server.js';
import type { DeploymentStatus } from './deployment-status.js';
import { LIVE_SERVER_KINDS } from './live-server.fixtures.js';
import { reconcileDeployment, type DeploymentContext } from './reconcile-deployment.js';
import {
  MINUTE,
  ROLLOUT_START,
  loadedVersions,
  recordRequests,
  rolloutDeployment,
  splitOf,
  startRolloutFixture,
  type RolloutFixture,
} from './rollout.fixtures.js';

const BLUEGREEN =
  '{ type: bluegreen, bluegreen: { rollbackWindow: 2m, interval: 1m, maxFailedChecks: 1 } }';
const deployment = () => rolloutDeployment(2, BLUEGREEN);

describe.each(LIVE_SERVER_KINDS)('blue-green rollouts, server %s', (kind) => {
  let fixture: RolloutFixture;
  let server: ModelServer;
  let clock = ROLLOUT_START;
  let context: DeploymentContext;
  let primary: DeploymentStatus;

  beforeEach(async () => {
    clock = ROLLOUT_START;
    fixture = await startRolloutFixture(kind, () => clock);
    ({ server, context, primary } = fixture);
  });
  afterEach(() => fixture.close());

  const traffic = (status: number, count: number) =>
    recordRequests(server, clock, '2', status, count);
  const reconciling = (status: DeploymentStatus) =>
    status.conditions.find((c) => c.type === 'Reconciling')?.message;

  it('switches all traffic at once, keeps the old version for the window, then promotes after a passed analysis', async () => {
    const switched = await reconcileDeployment(context, deployment(), primary);
    expect(switched.events.map((e) => e.type)).toEqual(['SwitchedOver']);
    expect(splitOf(server)).toEqual({ '1': 0, '2': 1 });
    clock += MINUTE + 1;
    traffic(200, 10);
    const holding = await reconcileDeployment(context, deployment(), switched.status);
    expect(holding.events).toEqual([]);
    expect(loadedVersions(server)).toEqual(['1', '2']);
    clock += MINUTE + 1;
    traffic(200, 10);
    const promoted = await reconcileDeployment(context, deployment(), holding.status);
    expect(promoted.events.map((e) => [e.type, e.message])).toEqual([
      ['Promoted', 'blue-green: line@2 promoted after the rollback window: it serves all traffic'],
    ]);
    expect(loadedVersions(server)).toEqual(['2']);
    expect(promoted.status).toMatchObject({ rollout: null, served: { version: '2' } });
  });

  it('does not promote past the window on too few requests, and says it waits for traffic', async () => {
    const switched = await reconcileDeployment(context, deployment(), primary);
    clock += 2 * MINUTE + 1;
    traffic(200, 3);
    const waiting = await reconcileDeployment(context, deployment(), switched.status);
    expect(waiting).toMatchObject({ events: [], requeueAfterMs: MINUTE });
    expect(waiting.status.rollout).toEqual(switched.status.rollout);
    expect(reconciling(waiting.status)).toBe(
      'blue-green: line@2 waits for traffic: 3 requests reached the new version, fewer than the 5 an analysis needs',
    );
    expect(loadedVersions(server)).toEqual(['1', '2']);
    expect(splitOf(server)).toEqual({ '1': 0, '2': 1 });

    // Waiting is no failure: the requests since the switch add up until there are enough.
    clock += MINUTE;
    traffic(200, 2);
    const promoted = await reconcileDeployment(context, deployment(), waiting.status);
    expect(promoted.events.map((e) => e.type)).toEqual(['Promoted']);
    expect(promoted.status.history[0]?.version).toBe('2');
    expect(loadedVersions(server)).toEqual(['2']);
  });

  it('switches back in one step when the new version fails within the window', async () => {
    const switched = await reconcileDeployment(context, deployment(), primary);
    clock += MINUTE + 1;
    traffic(500, 10);
    const rolledBack = await reconcileDeployment(context, deployment(), switched.status);
    expect(rolledBack.events.map((e) => [e.type, e.message])).toEqual([
      [
        'RolledBack',
        'blue-green: line@2 rolled back after 1 failed analyses (errorRate 1 > 0.1); traffic switched back to line@1',
      ],
    ]);
    expect(splitOf(server)).toEqual({ '1': 1 });
    expect(loadedVersions(server)).toEqual(['1']);
  });
});
