import type { ModelVersion } from '../registry/types.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { REASONS, setCondition } from './conditions.js';
import type { AnalysisCheck, DeploymentStatus, RolloutState } from './deployment-status.js';
import type { LiveModel } from './live-server.js';
import type { DeploymentContext, DeploymentOutcome } from './reconcile-deployment.js';
import { promote, rollBack } from './rollout-canary.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import { progressRollout, startRollout, waitForStep } from './rollout-steps.js';

type ShadowStrategy = Extract<ResolvedDeployment['spec']['strategy'], { type: 'shadow' }>;

/**
 * A shadow rollout: the new version gets a copy of every request and answers none; after
 * `duration`, with at least `minRequests` compared, it is promoted if it agreed with the primary
 * often enough (and failed rarely enough), else it is unloaded and the rollout rolled back.
 */
export async function progressShadow(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: ShadowStrategy,
  live: LiveModel | undefined,
  now: Date,
): Promise<DeploymentOutcome> {
  return progressRollout(context, deployment, base, target, live, now, {
    start: () => startShadow(context, deployment, base, target, strategy, now),
    split: (rollout) => shadowSplit(rollout.primary.version, rollout.canary.version),
    step: (rollout) => stepShadow(context, deployment, base, target, strategy, rollout, now),
  });
}

/** The primary answers everything; the new version gets a copy of each request. */
function shadowSplit(primary: string, shadow: string): TrafficPolicy {
  return { weights: [{ version: primary, weight: 1 }], shadow };
}

async function stepShadow(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: ShadowStrategy,
  rollout: RolloutState,
  now: Date,
): Promise<DeploymentOutcome> {
  const version = String(target.version);
  const waiting = waitForStep(base, rollout, strategy.durationMs, now);
  if (waiting) return waiting;
  const window = { from: Date.parse(rollout.stepStartedAt), to: now.getTime() };
  const stats = await context.server.shadowStats(target.name, version, window);
  if (stats.requests < strategy.minRequests) {
    const message = `${stats.requests} requests were shadowed, fewer than the ${strategy.minRequests} a verdict needs`;
    const conditions = setCondition(
      base.conditions,
      { type: 'Reconciling', status: 'True', reason: REASONS.progressing, message },
      now,
    );
    return {
      status: { ...base, conditions },
      events: [],
      requeueAfterMs: Math.max(1_000, strategy.durationMs / 10),
    };
  }
  const { analysis } = deployment.spec;
  const checks: AnalysisCheck[] = [];
  if (analysis.minShadowAgreement !== null && stats.agreementRate !== null) {
    checks.push({
      name: 'shadowAgreement',
      value: stats.agreementRate,
      threshold: analysis.minShadowAgreement,
      passed: stats.agreementRate >= analysis.minShadowAgreement,
    });
  }
  if (analysis.maxErrorRate !== null && stats.errorRate !== null) {
    checks.push({
      name: 'shadowErrorRate',
      value: stats.errorRate,
      threshold: analysis.maxErrorRate,
      passed: stats.errorRate <= analysis.maxErrorRate,
    });
  }
  const judged: RolloutState = {
    ...rollout,
    lastChecks: checks,
    failedChecks: checks.every((c) => c.passed) ? 0 : 1,
  };
  return judged.failedChecks === 0
    ? promote(context, deployment, base, target, judged, now)
    : rollBack(context, deployment, base, judged, now);
}

function startShadow(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: ShadowStrategy,
  now: Date,
): Promise<DeploymentOutcome> {
  const model = target.name;
  const version = String(target.version);
  return startRollout(
    context,
    deployment,
    base,
    target,
    {
      traffic: shadowSplit,
      action: 'deployment.shadow',
      after: { shadow: version },
      event: 'ShadowStarted',
      message: `${model}@${version} shadows ${model}@${base.served?.version ?? ''}: it sees every request and answers none`,
      requeueAfterMs: strategy.durationMs,
    },
    now,
  );
}
