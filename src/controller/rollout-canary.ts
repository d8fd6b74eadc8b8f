import type { ModelVersion } from '../registry/types.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { describeChecks } from './canary-analysis.js';
import { REASONS, removeCondition, setCondition } from './conditions.js';
import { HISTORY_LIMIT, type DeploymentStatus, type RolloutState } from './deployment-status.js';
import type { LiveModel } from './live-server.js';
import type { DeploymentContext, DeploymentOutcome, EventDraft } from './reconcile-deployment.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import { analyseStep, progressRollout, startRollout, waitForStep } from './rollout-steps.js';

type CanaryStrategy = Extract<ResolvedDeployment['spec']['strategy'], { type: 'canary' }>;

/**
 * One step of a canary: start it, wait out the interval, analyse, then move to the next weight,
 * promote, or (after maxFailedChecks failed analyses) roll back to the primary, which serves
 * throughout. The state lives in the status, so a restarted controller picks the canary up.
 */
export async function progressCanary(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: CanaryStrategy,
  live: LiveModel | undefined,
  now: Date,
): Promise<DeploymentOutcome> {
  return progressRollout(context, deployment, base, target, live, now, {
    start: () => startCanary(context, deployment, base, target, strategy, now),
    split: (rollout) => canarySplitOf(rollout, strategy.steps[rollout.step] ?? 100),
    step: (rollout) => stepCanary(context, deployment, base, target, strategy, rollout, now),
  });
}

async function stepCanary(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: CanaryStrategy,
  rollout: RolloutState,
  now: Date,
): Promise<DeploymentOutcome> {
  const version = String(target.version);
  const waiting = waitForStep(base, rollout, strategy.intervalMs, now);
  if (waiting) return waiting;
  const model = target.name;
  const result = await analyseStep(context, deployment, target, rollout, now);
  const object = { kind: 'ModelDeployment', name: deployment.name };
  if (result.verdict === 'inconclusive') {
    const conditions = setCondition(
      base.conditions,
      { type: 'Reconciling', status: 'True', reason: REASONS.progressing, message: result.reason },
      now,
    );
    return { status: { ...base, conditions }, events: [], requeueAfterMs: strategy.intervalMs };
  }
  if (result.verdict === 'fail') {
    const failedChecks = rollout.failedChecks + 1;
    if (failedChecks >= strategy.maxFailedChecks) {
      return rollBack(
        context,
        deployment,
        base,
        { ...rollout, failedChecks, lastChecks: result.checks },
        now,
      );
    }
    const next = {
      ...rollout,
      failedChecks,
      lastChecks: result.checks,
      stepStartedAt: now.toISOString(),
    };
    const event: EventDraft = {
      type: 'AnalysisFailed',
      severity: 'warning',
      object,
      reason: 'AnalysisFailed',
      revision: context.revision,
      message: `canary ${model}@${version} failed a check (${failedChecks} of ${strategy.maxFailedChecks}): ${describeChecks(result.checks)}`,
    };
    return {
      status: { ...base, rollout: next },
      events: [event],
      requeueAfterMs: strategy.intervalMs,
    };
  }
  const step = rollout.step + 1;
  const weight = strategy.steps[step];
  if (weight === undefined || weight >= 100)
    return promote(context, deployment, base, target, rollout, now);
  await context.server.setTraffic(model, canarySplitOf(rollout, weight));
  const next: RolloutState = {
    ...rollout,
    step,
    stepStartedAt: now.toISOString(),
    lastChecks: result.checks,
  };
  const event: EventDraft = {
    type: 'CanaryAdvanced',
    severity: 'info',
    object,
    reason: REASONS.progressing,
    revision: context.revision,
    message: `canary ${model}@${version} now takes ${weight}% (${describeChecks(result.checks)})`,
  };
  return {
    status: { ...base, rollout: next },
    events: [event],
    requeueAfterMs: strategy.intervalMs,
  };
}

function startCanary(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: CanaryStrategy,
  now: Date,
): Promise<DeploymentOutcome> {
  const first = strategy.steps[0] ?? 100;
  const model = target.name;
  const primary = base.served?.version ?? '';
  return startRollout(
    context,
    deployment,
    base,
    target,
    {
      traffic: (serving, next) => canarySplit(serving, next, first),
      action: 'deployment.canary',
      after: { canary: String(target.version), weight: first },
      event: 'CanaryStarted',
      message: `canary ${model}@${target.version} takes ${first}% of traffic; ${model}@${primary} serves the rest`,
      requeueAfterMs: strategy.intervalMs,
    },
    now,
  );
}

function canarySplit(primary: string, canary: string, canaryWeight: number): TrafficPolicy {
  return {
    weights: [
      { version: primary, weight: 100 - canaryWeight },
      { version: canary, weight: canaryWeight },
    ],
  };
}

function canarySplitOf(rollout: RolloutState, canaryWeight: number): TrafficPolicy {
  return canarySplit(rollout.primary.version, rollout.canary.version, canaryWeight);
}

export async function promote(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  rollout: RolloutState,
  now: Date,
): Promise<DeploymentOutcome> {
  const model = target.name;
  const version = rollout.canary.version;
  await context.server.setTraffic(model, { weights: [{ version, weight: 1 }] });
  await context.server.unload(model, rollout.primary.version);
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action: 'deployment.promote',
    object: { kind: 'ModelDeployment', name: deployment.name },
    revision: context.revision,
    before: { version: rollout.primary.version },
    after: { version, digest: target.digest },
  });
  const conditions = setCondition(
    removeCondition(base.conditions, 'Reconciling'),
    {
      type: 'Ready',
      status: 'True',
      reason: REASONS.applied,
      message: `serving ${model}@${version}`,
    },
    now,
  );
  const history = [
    { revision: context.revision, version, digest: target.digest, appliedAt: now.toISOString() },
    ...base.history,
  ].slice(0, HISTORY_LIMIT);
  const event: EventDraft = {
    type: 'Promoted',
    severity: 'info',
    object: { kind: 'ModelDeployment', name: deployment.name },
    reason: REASONS.applied,
    revision: context.revision,
    message: `canary ${model}@${version} promoted: it serves all traffic`,
  };
  return {
    status: {
      ...base,
      conditions,
      rollout: null,
      served: { model, version, digest: target.digest },
      history,
      lastAppliedRevision: context.revision,
    },
    events: [event],
  };
}

export async function rollBack(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  rollout: RolloutState,
  now: Date,
): Promise<DeploymentOutcome> {
  const model = deployment.spec.model.name;
  await context.server.setTraffic(model, {
    weights: [{ version: rollout.primary.version, weight: 1 }],
  });
  await context.server.unload(model, rollout.canary.version);
  const why = describeChecks(rollout.lastChecks);
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action: 'deployment.rollback',
    object: { kind: 'ModelDeployment', name: deployment.name },
    revision: context.revision,
    before: { canary: rollout.canary.version },
    after: { version: rollout.primary.version, checks: rollout.lastChecks },
  });
  let conditions = removeCondition(base.conditions, 'Reconciling');
  const message = `canary ${model}@${rollout.canary.version} rolled back after ${rollout.failedChecks} failed analyses (${why}); ${model}@${rollout.primary.version} serves`;
  conditions = setCondition(
    conditions,
    { type: 'RolloutFailed', status: 'True', reason: 'RolledBack', message },
    now,
  );
  conditions = setCondition(
    conditions,
    { type: 'Ready', status: 'True', reason: 'RolledBack', message },
    now,
  );
  const event: EventDraft = {
    type: 'RolledBack',
    severity: 'error',
    object: { kind: 'ModelDeployment', name: deployment.name },
    reason: 'RolledBack',
    revision: context.revision,
    message,
  };
  return {
    status: {
      ...base,
      conditions,
      rollout: null,
      rolledBack: {
        version: rollout.canary.version,
        generation: deployment.generation,
        revision: context.revision,
        at: now.toISOString(),
      },
    },
    events: [event],
  };
}
