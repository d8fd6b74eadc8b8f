import type { ModelVersion } from '../registry/types.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { describeChecks } from './canary-analysis.js';
import type { DeploymentStatus, RolloutState } from './deployment-status.js';
import type { LiveModel } from './live-server.js';
import type { DeploymentContext, DeploymentOutcome, EventDraft } from './reconcile-deployment.js';
import { promote, rollBack } from './rollout-canary.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import { analyseStep, progressRollout, startRollout, waitForStep } from './rollout-steps.js';

type BlueGreenStrategy = Extract<ResolvedDeployment['spec']['strategy'], { type: 'bluegreen' }>;

/**
 * Blue-green: all traffic moves to the new version at once while the old one stays loaded for
 * `rollbackWindow`; the new one's evidence is analysed every `interval`, and `maxFailedChecks`
 * failed analyses move traffic back in one step. After the window the old version is unloaded.
 */
export async function progressBlueGreen(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: BlueGreenStrategy,
  live: LiveModel | undefined,
  now: Date,
): Promise<DeploymentOutcome> {
  return progressRollout(context, deployment, base, target, live, now, {
    start: () => switchOver(context, deployment, base, target, strategy, now),
    split: (rollout) => switchedSplit(rollout.primary.version, rollout.canary.version),
    step: (rollout) => stepBlueGreen(context, deployment, base, target, strategy, rollout, now),
  });
}

/** The old version keeps its place at weight 0: switching back is one atomic change. */
function switchedSplit(old: string, next: string): TrafficPolicy {
  return {
    weights: [
      { version: old, weight: 0 },
      { version: next, weight: 1 },
    ],
  };
}

async function stepBlueGreen(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: BlueGreenStrategy,
  rollout: RolloutState,
  now: Date,
): Promise<DeploymentOutcome> {
  const version = String(target.version);
  const waiting = waitForStep(base, rollout, strategy.intervalMs, now);
  if (waiting) return waiting;
  const result = await analyseStep(context, deployment, target, rollout, now);
  if (result.verdict === 'fail') {
    const failedChecks = rollout.failedChecks + 1;
    const judged = { ...rollout, failedChecks, lastChecks: result.checks };
    if (failedChecks >= strategy.maxFailedChecks)
      return rollBack(context, deployment, base, judged, now);
    const object = { kind: 'ModelDeployment', name: deployment.name };
    const event: EventDraft = {
      type: 'AnalysisFailed',
      severity: 'warning',
      object,
      reason: 'AnalysisFailed',
      revision: context.revision,
      message: `${target.name}@${version} failed a check (${failedChecks} of ${strategy.maxFailedChecks}): ${describeChecks(result.checks)}`,
    };
    return {
      status: { ...base, rollout: { ...judged, stepStartedAt: now.toISOString() } },
      events: [event],
      requeueAfterMs: strategy.intervalMs,
    };
  }
  const started = Date.parse(rollout.startedAt ?? rollout.stepStartedAt);
  if (now.getTime() - started >= strategy.rollbackWindowMs) {
    return promote(
      context,
      deployment,
      base,
      target,
      { ...rollout, lastChecks: result.checks },
      now,
    );
  }
  const next: RolloutState = {
    ...rollout,
    stepStartedAt: now.toISOString(),
    lastChecks: result.checks,
  };
  return { status: { ...base, rollout: next }, events: [], requeueAfterMs: strategy.intervalMs };
}

function switchOver(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: BlueGreenStrategy,
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
      traffic: switchedSplit,
      action: 'deployment.switch',
      after: { version },
      event: 'SwitchedOver',
      message: `${model}@${version} takes all traffic; ${model}@${base.served?.version ?? ''} stays loaded for the rollback window`,
      requeueAfterMs: strategy.intervalMs,
    },
    now,
  );
}
