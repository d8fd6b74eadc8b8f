import type { ModelServer } from '../serving/server.js';
import { parseDeployment } from '../spec/deployment.js';
import { emptyStatus, type DeploymentStatus } from './deployment-status.js';
import {
  startReconcileFixture,
  type LiveServerKind,
  type ReconcileFixture,
} from './live-server.fixtures.js';
import { reconcileDeployment } from './reconcile-deployment.js';

export const ROLLOUT_REVISION = 'main@sha1:' + 'd'.repeat(40);
export const ROLLOUT_START = Date.parse('2026-11-26T12:00:00.000Z');
export const MINUTE = 60_000;

/**
 * Model `line` at `version`, rolled out with `strategy` (a YAML flow mapping). An analysis needs
 * 5 requests and checks only the error rate (at most 0.1), so a test decides a verdict with a
 * handful of recorded requests.
 */
export function rolloutDeployment(version: number, strategy: string) {
  return parseDeployment(
    `apiVersion: weft.dev/v1
kind: ModelDeployment
metadata: { name: line }
spec:
  model: { name: line, version: ${version} }
  strategy: ${strategy}
  analysis: { minRequests: 5, maxErrorRate: 0.1, maxP99LatencyRatio: null, maxPredictionDrift: null, maxInputDrift: null }
`,
    'deploy/line.yaml',
  );
}

/** `count` requests to `line@version` answered with `status`, a second before `now`. */
export function recordRequests(
  server: ModelServer,
  now: number,
  version: string,
  status: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    server.requests.record('line', version, { at: now - 1000, status, latencyMs: 2 });
  }
}

/** The split `line` is served with, as version → weight. */
export function splitOf(server: ModelServer): Record<string, number> {
  const weights = server.table.models.get('line')?.traffic.weights ?? [];
  return Object.fromEntries(weights.map((w) => [w.version, w.weight]));
}

/** The versions of `line` the server has loaded. */
export function loadedVersions(server: ModelServer): string[] {
  return [...(server.table.models.get('line')?.versions.keys() ?? [])];
}

export type RolloutFixture = ReconcileFixture & { primary: DeploymentStatus };

/**
 * A reconcile fixture of `kind` at ROLLOUT_REVISION, its clock reading `now()`, with `line@1`
 * already applied: `primary` is the status a rollout of a new version starts from.
 */
export async function startRolloutFixture(
  kind: LiveServerKind,
  now: () => number,
): Promise<RolloutFixture> {
  const fixture = await startReconcileFixture(kind, ROLLOUT_REVISION, () => new Date(now()));
  const replace = rolloutDeployment(1, '{ type: replace }');
  const { status } = await reconcileDeployment(fixture.context, replace, emptyStatus());
  return { ...fixture, primary: status };
}
