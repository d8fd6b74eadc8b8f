import type { ModelVersion } from '../registry/types.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { REASONS, removeCondition, setCondition } from './conditions.js';
import type { AnalysisCheck, DeploymentStatus, RolloutState } from './deployment-status.js';
import type { DeploymentContext, DeploymentOutcome, EventDraft } from './reconcile-deployment.js';
import { promote, rollBack } from './rollout-canary.js';

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
  now: Date,
): Promise<DeploymentOutcome> {
  const version = String(target.version);
  const rollout = base.rollout?.canary.version === version ? base.rollout : null;
  if (!rollout) return startShadow(context, deployment, base, target, strategy, now);
  const elapsed = now.getTime() - Date.parse(rollout.stepStartedAt);
  if (elapsed < strategy.durationMs) {
    return { status: base, events: [], requeueAfterMs: strategy.durationMs - elapsed };
  }
  const window = { from: Date.parse(rollout.stepStartedAt), to: now.getTime() };
  const stats = context.server.shadows.stats(target.name, version, window);
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

async function startShadow(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  strategy: ShadowStrategy,
  now: Date,
): Promise<DeploymentOutcome> {
  const served = base.served as NonNullable<DeploymentStatus['served']>;
  const model = target.name;
  const version = String(target.version);
  const { server } = context;
  if (!server.table.models.get(model)?.versions.has(version)) {
    server.load(await context.startVersion(target, deployment), {
      batching: deployment.spec.batching,
    });
  }
  server.setTraffic(model, { weights: [{ version: served.version, weight: 1 }], shadow: version });
  const rollout: RolloutState = {
    primary: { version: served.version, digest: served.digest },
    canary: { version, digest: target.digest },
    step: 0,
    failedChecks: 0,
    stepStartedAt: now.toISOString(),
    revision: context.revision,
    lastChecks: [],
  };
  const object = { kind: 'ModelDeployment', name: deployment.name };
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action: 'deployment.shadow',
    object,
    revision: context.revision,
    before: { version: served.version },
    after: { shadow: version },
  });
  const message = `${model}@${version} shadows ${model}@${served.version}: it sees every request and answers none`;
  const conditions = setCondition(
    base.conditions,
    { type: 'Reconciling', status: 'True', reason: REASONS.progressing, message },
    now,
  );
  const event: EventDraft = {
    type: 'ShadowStarted',
    severity: 'info',
    object,
    reason: REASONS.progressing,
    revision: context.revision,
    message,
  };
  return {
    status: { ...base, conditions: removeCondition(conditions, 'RolloutFailed'), rollout },
    events: [event],
    requeueAfterMs: strategy.durationMs,
  };
}
