import type { ModelVersion } from '../registry/types.js';
import { analyseCanary, describeChecks, type AnalysisVerdict } from './canary-analysis.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { REASONS, removeCondition, setCondition, type Condition } from './conditions.js';
import { auditDeploymentChange } from './deployment-audit.js';
import { deploymentEvent } from './deployment-event.js';
import type { AnalysisCheck, DeploymentStatus, RolloutState } from './deployment-status.js';
import type { LiveModel } from './live-server.js';
import type { EventDraft } from './notify/index.js';
import type { DeploymentContext, DeploymentOutcome } from './reconcile-deployment.js';
import { describeRolloutSubject, rollBack } from './rollout-finish.js';

/** One reconcile pass over a deployment that is rolling `target` out. */
export interface RolloutPass {
  context: DeploymentContext;
  deployment: ResolvedDeployment;
  /** The status the pass starts from: the previous one, at this generation and revision. */
  base: DeploymentStatus;
  target: ModelVersion;
  now: Date;
}

/** What sets one progressive strategy (canary, shadow, blue-green) apart. */
export interface ProgressiveRollout {
  /** What starting says: in the audit log, an event and `Reconciling`. */
  start(pass: RolloutPass): RolloutStart;
  /** The split the rollout sets at its current step, the first one when it starts. */
  split(rollout: RolloutState): TrafficPolicy;
  /** Waits, analyses, moves on, promotes or rolls back. */
  step(pass: RolloutPass, rollout: RolloutState): Promise<DeploymentOutcome>;
}

export interface RolloutStart {
  /** Audit action, e.g. `deployment.canary`, and what the entry records as after. */
  action: string;
  after: Record<string, unknown>;
  /** The event's type and the one sentence both the event and `Reconciling` carry. */
  event: string;
  message: string;
  requeueAfterMs: number;
}

/**
 * One pass of any progressive strategy: start the rollout, or first keep its split (a change by
 * hand is put back or reported) and then take its step.
 */
export async function progressRollout(
  pass: RolloutPass,
  live: LiveModel | undefined,
  strategy: ProgressiveRollout,
): Promise<DeploymentOutcome> {
  const rollout = rolloutFor(pass.base, pass.target, live);
  if (!rollout) return startRollout(pass, strategy);
  const healed = await keepRolloutSplit(pass, live, strategy.split(rollout));
  const outcome = await strategy.step(pass, rollout);
  return healed.length ? { ...outcome, events: [...healed, ...outcome.events] } : outcome;
}

/**
 * What every progressive strategy does first: the new version is loaded beside the serving one
 * (which keeps serving), the first split is set, the start is audited, and the rollout's state
 * goes into the status so the next passes (or a restarted controller) carry on from it.
 */
async function startRollout(
  pass: RolloutPass,
  strategy: ProgressiveRollout,
): Promise<DeploymentOutcome> {
  const { context, deployment, base, target, now } = pass;
  const start = strategy.start(pass);
  const served = base.served as NonNullable<DeploymentStatus['served']>;
  const model = target.name;
  const version = String(target.version);
  const { server } = context;
  const abandoned = base.rollout?.canary.version;
  if (abandoned && abandoned !== version && abandoned !== served.version) {
    // A newer spec replaced a rollout in progress: its version leaves before the new one starts.
    await server.setTraffic(model, { weights: [{ version: served.version, weight: 1 }] });
    await server.unload(model, abandoned).catch(() => undefined);
  }
  if (!(await server.describe(model))?.versions.has(version)) {
    await server.load(target, deployment);
  }
  const rollout: RolloutState = {
    primary: { version: served.version, digest: served.digest },
    canary: { version, digest: target.digest },
    step: 0,
    failedChecks: 0,
    stepStartedAt: now.toISOString(),
    startedAt: now.toISOString(),
    revision: context.revision,
    lastChecks: [],
  };
  await server.setTraffic(model, strategy.split(rollout));
  await auditDeploymentChange(pass, {
    action: start.action,
    before: { version: served.version },
    after: start.after,
  });
  const conditions = setCondition(base.conditions, progressing(start.message), now);
  const event = deploymentEvent(pass, {
    type: start.event,
    severity: 'info',
    reason: REASONS.progressing,
    message: start.message,
  });
  return {
    status: { ...base, conditions: removeCondition(conditions, 'RolloutFailed'), rollout },
    events: [event],
    requeueAfterMs: start.requeueAfterMs,
  };
}

/** `Reconciling` while a rollout is under way, saying what it does or waits for. */
function progressing(message: string): Omit<Condition, 'lastTransitionTime'> {
  return { type: 'Reconciling', status: 'True', reason: REASONS.progressing, message };
}

/**
 * The rollout in progress for `target`, or null when it has not started, another has, or its
 * new version is no longer loaded (a controller stopped between unloading it and saying so):
 * then it starts afresh.
 */
function rolloutFor(
  base: DeploymentStatus,
  target: ModelVersion,
  live: LiveModel | undefined,
): RolloutState | null {
  const version = String(target.version);
  return base.rollout?.canary.version === version && live?.versions.has(version)
    ? base.rollout
    : null;
}

/** Before a step's period is over there is nothing to judge: come back when it is. */
export function waitForStep(
  { base, now }: RolloutPass,
  rollout: RolloutState,
  periodMs: number,
): DeploymentOutcome | null {
  const elapsed = now.getTime() - Date.parse(rollout.stepStartedAt);
  return elapsed < periodMs
    ? { status: base, events: [], requeueAfterMs: periodMs - elapsed }
    : null;
}

/**
 * Too little evidence for a verdict, which is neither a pass nor a failure: `Reconciling` says
 * what waits for traffic and why, and the step is judged later over its whole period so far.
 */
export function waitForEvidence(
  pass: RolloutPass,
  why: string,
  requeueAfterMs: number,
): DeploymentOutcome {
  const { base, target, now } = pass;
  const subject = describeRolloutSubject(pass, String(target.version));
  const conditions = setCondition(
    base.conditions,
    progressing(`${subject} waits for traffic: ${why}`),
    now,
  );
  return { status: { ...base, conditions }, events: [], requeueAfterMs };
}

/** The new version's live evidence since the step began, against the deployment's thresholds. */
export async function analyseStep(
  { context, deployment, target, now }: RolloutPass,
  rollout: RolloutState,
): Promise<AnalysisVerdict> {
  const window = { from: Date.parse(rollout.stepStartedAt), to: now.getTime() };
  const { primary } = rollout;
  const [canary, baseline] = await Promise.all([
    context.server.evidence(target.name, String(target.version), window, primary.version),
    context.server.evidence(target.name, primary.version, window),
  ]);
  return analyseCanary({ canary, primary: baseline, analysis: deployment.spec.analysis });
}

/**
 * A failed analysis counts: at `maxFailedChecks` the rollout is rolled back, short of it the
 * failure is told and the same step is analysed again after another interval.
 */
export async function countFailedAnalysis(
  pass: RolloutPass,
  strategy: { intervalMs: number; maxFailedChecks: number },
  rollout: RolloutState,
  checks: AnalysisCheck[],
): Promise<DeploymentOutcome> {
  const failedChecks = rollout.failedChecks + 1;
  const judged = { ...rollout, failedChecks, lastChecks: checks };
  if (failedChecks >= strategy.maxFailedChecks) return rollBack(pass, judged);
  const { base, now } = pass;
  const event = deploymentEvent(pass, {
    type: 'AnalysisFailed',
    severity: 'warning',
    reason: 'AnalysisFailed',
    message: `${describeRolloutSubject(pass, rollout.canary.version)} failed a check (${failedChecks} of ${strategy.maxFailedChecks}): ${describeChecks(checks)}`,
  });
  return {
    status: { ...base, rollout: { ...judged, stepStartedAt: now.toISOString() } },
    events: [event],
    requeueAfterMs: strategy.intervalMs,
  };
}

/**
 * Between analyses the split a rollout set must still be live: one changed by hand is put back
 * (selfHeal, audited) or reported, as outside a rollout. Returns the events to tell.
 */
async function keepRolloutSplit(
  pass: RolloutPass,
  live: LiveModel | undefined,
  expected: TrafficPolicy,
): Promise<EventDraft[]> {
  if (!live || isSameSplit(live.traffic, expected)) return [];
  const { context, deployment } = pass;
  const model = deployment.spec.model.name;
  const changed = `the rollout's split of ${model} was changed by hand (${describeSplit(live.traffic)})`;
  const told = (type: string, reason: string, message: string): EventDraft[] => [
    deploymentEvent(pass, { type, severity: 'warning', reason, message }),
  ];
  if (!deployment.spec.selfHeal) {
    return told(
      'DriftDetected',
      REASONS.liveChanged,
      `${changed}; selfHeal is off, so it is only reported`,
    );
  }
  await context.server.setTraffic(model, expected);
  await auditDeploymentChange(pass, {
    action: 'deployment.heal',
    before: { traffic: live.traffic },
    after: { traffic: expected },
  });
  return told('DriftHealed', REASONS.healed, `${changed}; restored ${describeSplit(expected)}`);
}

/** Weights are relative: 90/10 and 9/1 are the same split. */
function isSameSplit(a: TrafficPolicy, b: TrafficPolicy): boolean {
  const shares = (policy: TrafficPolicy): Map<string, number> => {
    const total = policy.weights.reduce((sum, w) => sum + w.weight, 0) || 1;
    return new Map(
      policy.weights.filter((w) => w.weight > 0).map((w) => [w.version, w.weight / total]),
    );
  };
  const [left, right] = [shares(a), shares(b)];
  if (a.shadow !== b.shadow || left.size !== right.size) return false;
  return [...left].every(([version, share]) => Math.abs((right.get(version) ?? -1) - share) < 1e-9);
}

function describeSplit(policy: TrafficPolicy): string {
  const weights = policy.weights.map((w) => `${w.version}: ${w.weight}`).join(', ');
  return policy.shadow ? `{${weights}}, shadow ${policy.shadow}` : `{${weights}}`;
}
