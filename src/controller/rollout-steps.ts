import type { ModelVersion } from '../registry/types.js';
import { analyseCanary, type AnalysisVerdict } from './canary-analysis.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { REASONS, removeCondition, setCondition } from './conditions.js';
import type { DeploymentStatus, RolloutState } from './deployment-status.js';
import type { LiveModel } from './live-server.js';
import type { DeploymentContext, DeploymentOutcome, EventDraft } from './reconcile-deployment.js';

export interface RolloutStart {
  /** The first split, given the serving version and the new one. */
  traffic(primary: string, next: string): TrafficPolicy;
  /** Audit action, e.g. `deployment.canary`, and what the entry records as after. */
  action: string;
  after: Record<string, unknown>;
  /** The event's type and the one sentence both the event and `Reconciling` carry. */
  event: string;
  message: string;
  requeueAfterMs: number;
}

/**
 * What every progressive strategy does first: the new version is loaded beside the serving one
 * (which keeps serving), the first split is set, the start is audited, and the rollout's state
 * goes into the status so the next passes (or a restarted controller) carry on from it.
 */
export async function startRollout(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  start: RolloutStart,
  now: Date,
): Promise<DeploymentOutcome> {
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
  await server.setTraffic(model, start.traffic(served.version, version));
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
  const object = { kind: 'ModelDeployment', name: deployment.name };
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action: start.action,
    object,
    revision: context.revision,
    before: { version: served.version },
    after: start.after,
  });
  const conditions = setCondition(
    base.conditions,
    { type: 'Reconciling', status: 'True', reason: REASONS.progressing, message: start.message },
    now,
  );
  const event: EventDraft = {
    type: start.event,
    severity: 'info',
    object,
    reason: REASONS.progressing,
    revision: context.revision,
    message: start.message,
  };
  return {
    status: { ...base, conditions: removeCondition(conditions, 'RolloutFailed'), rollout },
    events: [event],
    requeueAfterMs: start.requeueAfterMs,
  };
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
  base: DeploymentStatus,
  rollout: RolloutState,
  periodMs: number,
  now: Date,
): DeploymentOutcome | null {
  const elapsed = now.getTime() - Date.parse(rollout.stepStartedAt);
  return elapsed < periodMs
    ? { status: base, events: [], requeueAfterMs: periodMs - elapsed }
    : null;
}

/** The new version's live evidence since the step began, against the deployment's thresholds. */
export async function analyseStep(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  target: ModelVersion,
  rollout: RolloutState,
  now: Date,
): Promise<AnalysisVerdict> {
  const window = { from: Date.parse(rollout.stepStartedAt), to: now.getTime() };
  const { primary } = rollout;
  const [canary, baseline] = await Promise.all([
    context.server.evidence(target.name, String(target.version), window, primary.version),
    context.server.evidence(target.name, primary.version, window),
  ]);
  return analyseCanary({ canary, primary: baseline, analysis: deployment.spec.analysis });
}

/** What a progressive strategy (canary, shadow, blue-green) does at each pass. */
export interface RolloutPasses {
  /** Starts the rollout (none is in progress for this version). */
  start(): Promise<DeploymentOutcome>;
  /** The split the rollout in progress has set, at its current step. */
  split(rollout: RolloutState): TrafficPolicy;
  /** Waits, analyses, moves on, promotes or rolls back. */
  step(rollout: RolloutState): Promise<DeploymentOutcome>;
}

/**
 * One pass of any progressive strategy: start the rollout, or first keep its split (a change by
 * hand is put back or reported) and then take its step.
 */
export async function progressRollout(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  live: LiveModel | undefined,
  now: Date,
  passes: RolloutPasses,
): Promise<DeploymentOutcome> {
  const rollout = rolloutFor(base, target, live);
  if (!rollout) return passes.start();
  const healed = await keepRolloutSplit(context, deployment, live, passes.split(rollout), now);
  const outcome = await passes.step(rollout);
  return healed.length ? { ...outcome, events: [...healed, ...outcome.events] } : outcome;
}

/**
 * Between analyses the split a rollout set must still be live: one changed by hand is put back
 * (selfHeal, audited) or reported, as outside a rollout. Returns the events to tell.
 */
async function keepRolloutSplit(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  live: LiveModel | undefined,
  expected: TrafficPolicy,
  now: Date,
): Promise<EventDraft[]> {
  if (!live || isSameSplit(live.traffic, expected)) return [];
  const model = deployment.spec.model.name;
  const object = { kind: 'ModelDeployment', name: deployment.name };
  const changed = `the rollout's split of ${model} was changed by hand (${describeSplit(live.traffic)})`;
  const told = (type: string, reason: string, message: string): EventDraft[] => [
    { type, severity: 'warning', object, reason, revision: context.revision, message },
  ];
  if (!deployment.spec.selfHeal) {
    return told(
      'DriftDetected',
      REASONS.liveChanged,
      `${changed}; selfHeal is off, so it is only reported`,
    );
  }
  await context.server.setTraffic(model, expected);
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action: 'deployment.heal',
    object,
    revision: context.revision,
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
