import type { ResolvedDeployment } from '../spec/deployment-types.js';
import type { RolloutState } from './deployment-status.js';
import type { DeploymentOutcome } from './reconcile-deployment.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import { promote } from './rollout-finish.js';
import {
  analyseStep,
  countFailedAnalysis,
  waitForEvidence,
  waitForStep,
  type ProgressiveRollout,
  type RolloutPass,
  type RolloutStart,
} from './rollout-steps.js';

type BlueGreenStrategy = Extract<ResolvedDeployment['spec']['strategy'], { type: 'bluegreen' }>;

/**
 * Blue-green: all traffic moves to the new version at once while the old one stays loaded for
 * `rollbackWindow`; the new one's evidence is analysed every `interval`, and `maxFailedChecks`
 * failed analyses move traffic back in one step. The first passed analysis once the window is
 * over promotes it and unloads the old version; an analysis with too few requests is neither,
 * so the window can outlast `rollbackWindow` until there is traffic to judge.
 */
export function blueGreenRollout(strategy: BlueGreenStrategy): ProgressiveRollout {
  return {
    start: (pass) => startBlueGreen(pass, strategy),
    split: switchedSplit,
    step: (pass, rollout) => stepBlueGreen(pass, strategy, rollout),
  };
}

/** The old version keeps its place at weight 0: switching back is one atomic change. */
function switchedSplit(rollout: RolloutState): TrafficPolicy {
  return {
    weights: [
      { version: rollout.primary.version, weight: 0 },
      { version: rollout.canary.version, weight: 1 },
    ],
  };
}

async function stepBlueGreen(
  pass: RolloutPass,
  strategy: BlueGreenStrategy,
  rollout: RolloutState,
): Promise<DeploymentOutcome> {
  const { base, now } = pass;
  const waiting = waitForStep(pass, rollout, strategy.intervalMs);
  if (waiting) return waiting;
  const result = await analyseStep(pass, rollout);
  if (result.verdict === 'inconclusive') {
    // No traffic is no evidence: the window ends only on a passed analysis, and until then
    // the old version stays loaded to switch back to. As for a canary, waiting is no failure.
    return waitForEvidence(pass, result.reason, strategy.intervalMs);
  }
  if (result.verdict === 'fail') return countFailedAnalysis(pass, strategy, rollout, result.checks);
  const started = Date.parse(rollout.startedAt ?? rollout.stepStartedAt);
  if (now.getTime() - started >= strategy.rollbackWindowMs) {
    return promote(pass, { ...rollout, lastChecks: result.checks });
  }
  const next: RolloutState = {
    ...rollout,
    stepStartedAt: now.toISOString(),
    lastChecks: result.checks,
  };
  return { status: { ...base, rollout: next }, events: [], requeueAfterMs: strategy.intervalMs };
}

function startBlueGreen({ base, target }: RolloutPass, strategy: BlueGreenStrategy): RolloutStart {
  const model = target.name;
  const version = String(target.version);
  return {
    action: 'deployment.switch',
    after: { version },
    event: 'SwitchedOver',
    message: `${model}@${version} takes all traffic; ${model}@${base.served?.version ?? ''} stays loaded for the rollback window`,
    requeueAfterMs: strategy.intervalMs,
  };
}
