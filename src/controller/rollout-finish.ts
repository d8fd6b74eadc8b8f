import { describeChecks } from './canary-analysis.js';
import { REASONS, removeCondition, setCondition } from './conditions.js';
import { auditDeploymentChange } from './deployment-audit.js';
import { deploymentEvent } from './deployment-event.js';
import { HISTORY_LIMIT, type RolloutState } from './deployment-status.js';
import type { DeploymentOutcome } from './reconcile-deployment.js';
import type { RolloutPass } from './rollout-steps.js';

// How every progressive strategy (canary, shadow, blue-green) ends: promoted or rolled back.

/** The new version takes all traffic, the one it replaced is unloaded, and it goes into history. */
export async function promote(
  pass: RolloutPass,
  rollout: RolloutState,
): Promise<DeploymentOutcome> {
  const { context, base, target, now } = pass;
  const model = target.name;
  const version = rollout.canary.version;
  await context.server.setTraffic(model, { weights: [{ version, weight: 1 }] });
  await context.server.unload(model, rollout.primary.version);
  await auditDeploymentChange(pass, {
    action: 'deployment.promote',
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
  const event = deploymentEvent(pass, {
    type: 'Promoted',
    severity: 'info',
    reason: REASONS.applied,
    message: `canary ${model}@${version} promoted: it serves all traffic`,
  });
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

/**
 * The primary takes all traffic back and the new version is unloaded; `rolledBack` keeps the
 * same spec from being tried again until Git changes it.
 */
export async function rollBack(
  pass: RolloutPass,
  rollout: RolloutState,
): Promise<DeploymentOutcome> {
  const { context, deployment, base, now } = pass;
  const model = deployment.spec.model.name;
  await context.server.setTraffic(model, {
    weights: [{ version: rollout.primary.version, weight: 1 }],
  });
  await context.server.unload(model, rollout.canary.version);
  const why = describeChecks(rollout.lastChecks);
  await auditDeploymentChange(pass, {
    action: 'deployment.rollback',
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
  const event = deploymentEvent(pass, {
    type: 'RolledBack',
    severity: 'error',
    reason: 'RolledBack',
    message,
  });
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
