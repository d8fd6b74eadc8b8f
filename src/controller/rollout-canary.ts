import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { describeChecks } from './canary-analysis.js';
import { REASONS } from './conditions.js';
import type { RolloutState } from './deployment-status.js';
import { deploymentEvent } from './deployment-event.js';
import type { DeploymentOutcome } from './reconcile-deployment.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import { describeRolloutSubject, promote } from './rollout-finish.js';
import {
  analyseStep,
  countFailedAnalysis,
  waitForEvidence,
  waitForStep,
  type ProgressiveRollout,
  type RolloutPass,
  type RolloutStart,
} from './rollout-steps.js';

type CanaryStrategy = Extract<ResolvedDeployment['spec']['strategy'], { type: 'canary' }>;

/**
 * A canary: start it, wait out the interval, analyse, then move to the next weight, promote,
 * or (after maxFailedChecks failed analyses) roll back to the primary, which serves throughout.
 * The state lives in the status, so a restarted controller picks the canary up.
 */
export function canaryRollout(strategy: CanaryStrategy): ProgressiveRollout {
  return {
    start: (pass) => startCanary(pass, strategy),
    split: (rollout) => canarySplit(rollout, strategy.steps[rollout.step] ?? 100),
    step: (pass, rollout) => stepCanary(pass, strategy, rollout),
  };
}

async function stepCanary(
  pass: RolloutPass,
  strategy: CanaryStrategy,
  rollout: RolloutState,
): Promise<DeploymentOutcome> {
  const { context, base, target, now } = pass;
  const waiting = waitForStep(pass, rollout, strategy.intervalMs);
  if (waiting) return waiting;
  const result = await analyseStep(pass, rollout);
  if (result.verdict === 'inconclusive') {
    return waitForEvidence(pass, result.reason, strategy.intervalMs);
  }
  if (result.verdict === 'fail') return countFailedAnalysis(pass, strategy, rollout, result.checks);
  const step = rollout.step + 1;
  const weight = strategy.steps[step];
  if (weight === undefined || weight >= 100) return promote(pass, rollout);
  await context.server.setTraffic(target.name, canarySplit(rollout, weight));
  const next: RolloutState = {
    ...rollout,
    step,
    stepStartedAt: now.toISOString(),
    lastChecks: result.checks,
  };
  const event = deploymentEvent(pass, {
    type: 'CanaryAdvanced',
    severity: 'info',
    reason: REASONS.progressing,
    message: `${describeRolloutSubject(pass, rollout.canary.version)} now takes ${weight}% (${describeChecks(result.checks)})`,
  });
  return {
    status: { ...base, rollout: next },
    events: [event],
    requeueAfterMs: strategy.intervalMs,
  };
}

function startCanary({ base, target }: RolloutPass, strategy: CanaryStrategy): RolloutStart {
  const first = strategy.steps[0] ?? 100;
  const model = target.name;
  const primary = base.served?.version ?? '';
  return {
    action: 'deployment.canary',
    after: { canary: String(target.version), weight: first },
    event: 'CanaryStarted',
    message: `canary ${model}@${target.version} takes ${first}% of traffic; ${model}@${primary} serves the rest`,
    requeueAfterMs: strategy.intervalMs,
  };
}

function canarySplit(rollout: RolloutState, canaryWeight: number): TrafficPolicy {
  return {
    weights: [
      { version: rollout.primary.version, weight: 100 - canaryWeight },
      { version: rollout.canary.version, weight: canaryWeight },
    ],
  };
}
