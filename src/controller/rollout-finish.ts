import { describeChecks } from './canary-analysis.js';
import { REASONS, removeCondition, setCondition } from './conditions.js';
import { auditDeploymentChange } from './deployment-audit.js';
import { deploymentEvent } from './deployment-event.js';
import { HISTORY_LIMIT, type RolloutState } from './deployment-status.js';
import type { DeploymentOutcome } from './reconcile-deployment.js';
import type { RolloutPass } from './rollout-steps.js';

// How every progressive strategy (canary, shadow, blue-green) ends: promoted or rolled back.

/**
 * How a rollout's events and conditions name the new `version`, so each says which strategy is
 * at work: `canary line@2`, `blue-green: line@2`, `shadow: line@2`.
 */
export function describeRolloutSubject(
  { deployment }: Pick<RolloutPass, 'deployment'>,
  version: string,
): string {
  const named = `${deployment.spec.model.name}@${version}`;
  switch (deployment.spec.strategy.type) {
    case 'canary':
      return `canary ${named}`;
    case 'bluegreen':
      return `blue-green: ${named}`;
    case 'shadow':
      return `shadow: ${named}`;
    case 'replace':
      return named;
  }
}

/** What a promotion says: after what evidence the new version took all traffic. */
function describePromotion(pass: RolloutPass, version: string): string {
  const subject = describeRolloutSubject(pass, version);
  const after = {
    canary: '',
    bluegreen: ' after the rollback window',
    shadow: ' after its shadow analysis',
    replace: '',
  }[pass.deployment.spec.strategy.type];
  return `${subject} promoted${after}: it serves all traffic`;
}

/**
 * What a rollback says: a shadow is dropped on its one verdict without ever having answered,
 * the others after their failed analyses, traffic going back to the primary.
 */
function describeRollback(pass: RolloutPass, rollout: RolloutState): string {
  const subject = describeRolloutSubject(pass, rollout.canary.version);
  const why = describeChecks(rollout.lastChecks);
  const primary = `${pass.deployment.spec.model.name}@${rollout.primary.version}`;
  const failed = `after ${rollout.failedChecks} failed analyses (${why})`;
  switch (pass.deployment.spec.strategy.type) {
    case 'shadow':
      return `${subject} rolled back: its shadow analysis failed (${why}); ${primary} kept serving`;
    case 'bluegreen':
      return `${subject} rolled back ${failed}; traffic switched back to ${primary}`;
    default:
      return `${subject} rolled back ${failed}; ${primary} serves`;
  }
}

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
    message: describePromotion(pass, version),
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
  await auditDeploymentChange(pass, {
    action: 'deployment.rollback',
    before: { canary: rollout.canary.version },
    after: { version: rollout.primary.version, checks: rollout.lastChecks },
  });
  let conditions = removeCondition(base.conditions, 'Reconciling');
  const message = describeRollback(pass, rollout);
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
