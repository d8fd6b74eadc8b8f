import type { ResolvedDeployment } from '../spec/deployment-types.js';
import type { AnalysisCheck, RolloutState } from './deployment-status.js';
import { checkAtLeast, checkAtMost } from './canary-analysis.js';
import type { DeploymentOutcome } from './reconcile-deployment.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import { promote, rollBack } from './rollout-finish.js';
import {
  waitForEvidence,
  waitForStep,
  type ProgressiveRollout,
  type RolloutPass,
  type RolloutStart,
} from './rollout-steps.js';

type ShadowStrategy = Extract<ResolvedDeployment['spec']['strategy'], { type: 'shadow' }>;

/**
 * A shadow rollout: the new version gets a copy of every request and answers none; after
 * `duration`, with at least `minRequests` compared, it is promoted if it agreed with the primary
 * often enough (and failed rarely enough), else it is unloaded and the rollout rolled back.
 */
export function shadowRollout(strategy: ShadowStrategy): ProgressiveRollout {
  return {
    start: (pass) => startShadow(pass, strategy),
    split: shadowSplit,
    step: (pass, rollout) => stepShadow(pass, strategy, rollout),
  };
}

/** The primary answers everything; the new version gets a copy of each request. */
function shadowSplit(rollout: RolloutState): TrafficPolicy {
  return {
    weights: [{ version: rollout.primary.version, weight: 1 }],
    shadow: rollout.canary.version,
  };
}

async function stepShadow(
  pass: RolloutPass,
  strategy: ShadowStrategy,
  rollout: RolloutState,
): Promise<DeploymentOutcome> {
  const { context, deployment, target, now } = pass;
  const waiting = waitForStep(pass, rollout, strategy.durationMs);
  if (waiting) return waiting;
  const window = { from: Date.parse(rollout.stepStartedAt), to: now.getTime() };
  const stats = await context.server.shadowStats(target.name, String(target.version), window);
  if (stats.requests < strategy.minRequests) {
    const why = `${stats.requests} requests were shadowed, fewer than the ${strategy.minRequests} a verdict needs`;
    return waitForEvidence(pass, why, Math.max(1_000, strategy.durationMs / 10));
  }
  const { analysis } = deployment.spec;
  const checks: AnalysisCheck[] = [];
  if (analysis.minShadowAgreement !== null && stats.agreementRate !== null) {
    checks.push(checkAtLeast('shadowAgreement', stats.agreementRate, analysis.minShadowAgreement));
  }
  if (analysis.maxErrorRate !== null && stats.errorRate !== null) {
    checks.push(checkAtMost('shadowErrorRate', stats.errorRate, analysis.maxErrorRate));
  }
  const judged: RolloutState = {
    ...rollout,
    lastChecks: checks,
    failedChecks: checks.every((c) => c.passed) ? 0 : 1,
  };
  return judged.failedChecks === 0 ? promote(pass, judged) : rollBack(pass, judged);
}

function startShadow({ base, target }: RolloutPass, strategy: ShadowStrategy): RolloutStart {
  const model = target.name;
  const version = String(target.version);
  return {
    action: 'deployment.shadow',
    after: { shadow: version },
    event: 'ShadowStarted',
    message: `${model}@${version} shadows ${model}@${base.served?.version ?? ''}: it sees every request and answers none`,
    requeueAfterMs: strategy.durationMs,
  };
}
