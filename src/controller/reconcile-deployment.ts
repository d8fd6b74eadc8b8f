import type { MetadataStore, ModelVersion } from '../registry/types.js';
import type { ResolvedDeployment, ResolvedStrategy } from '../spec/deployment-types.js';
import { REASONS, removeCondition, setCondition, type Condition } from './conditions.js';
import { auditDeploymentChange } from './deployment-audit.js';
import { deploymentEvent } from './deployment-event.js';
import { HISTORY_LIMIT, type DeploymentStatus } from './deployment-status.js';
import type { LiveModel, LiveServer } from './live-server.js';
import type { EventDraft } from './notify/index.js';
import { stall, toReconcileError } from './reconcile-errors.js';
import { describeModelRef, resolveDeploymentTarget } from './resolve-target.js';
import { canaryRollout } from './rollout-canary.js';
import { shadowRollout } from './rollout-shadow.js';
import { blueGreenRollout } from './rollout-bluegreen.js';
import { progressRollout, type ProgressiveRollout } from './rollout-steps.js';

export interface DeploymentContext {
  metadata: MetadataStore;
  server: LiveServer;
  revision: string;
  now(): Date;
}

export interface DeploymentOutcome {
  status: DeploymentStatus;
  events: EventDraft[];
  /** When the loop should come back sooner than its interval (a retry), in ms. */
  requeueAfterMs?: number;
}

/**
 * One reconcile of one ModelDeployment at one revision, as an ordered list of small steps:
 * suspended? -> strategy supported? -> resolve the version -> compare with live -> apply.
 * The status is computed from the previous one and returned whole; the caller writes it once.
 */
export async function reconcileDeployment(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  previous: DeploymentStatus,
): Promise<DeploymentOutcome> {
  const now = context.now();
  const base: DeploymentStatus = {
    ...previous,
    observedGeneration: deployment.generation,
    lastAttemptedRevision: context.revision,
  };
  if (deployment.spec.suspend) {
    const conditions = setCondition(
      base.conditions,
      ready('True', REASONS.suspended, 'reconciliation is suspended; live state is left as it is'),
      now,
    );
    return { status: { ...base, conditions }, events: [] };
  }
  try {
    const target = await resolveTarget(context.metadata, deployment);
    return await converge(context, deployment, base, target, now);
  } catch (error) {
    const failure = toReconcileError(error, REASONS.loadFailed);
    const stalled = failure.kind === 'stall';
    const notReady = setCondition(
      base.conditions,
      ready('False', failure.reason, failure.message),
      now,
    );
    const conditions = stalled
      ? setCondition(
          notReady,
          { type: 'Stalled', status: 'True', reason: failure.reason, message: failure.message },
          now,
        )
      : removeCondition(notReady, 'Stalled');
    const event = deploymentEvent(
      { context, deployment },
      {
        type: 'ReconcileFailed',
        severity: 'error',
        reason: failure.reason,
        message: failure.message,
      },
    );
    // A stall waits for a new revision; anything else is retried soon.
    return {
      status: { ...base, conditions },
      events: [event],
      ...(stalled ? {} : { requeueAfterMs: 5_000 }),
    };
  }
}

function ready(
  status: Condition['status'],
  reason: string,
  message: string,
): Omit<Condition, 'lastTransitionTime'> {
  return { type: 'Ready', status, reason, message };
}

/** The version the spec names, or the newest that passed its gates when it follows a branch. */
async function resolveTarget(
  metadata: MetadataStore,
  deployment: ResolvedDeployment,
): Promise<ModelVersion> {
  const { model } = deployment.spec;
  const found = await resolveDeploymentTarget(metadata, model);
  if (!found) {
    throw stall(
      REASONS.versionNotFound,
      `model ${model.name} has no version ${describeModelRef(model.ref)} in the registry`,
    );
  }
  return found;
}

/** Serves exactly the target: loaded, taking all traffic, nothing else left loaded. */
function isInSync(live: LiveModel | undefined, version: string): boolean {
  if (!live || live.versions.size !== 1 || !live.versions.has(version) || live.traffic.shadow)
    return false;
  return live.traffic.weights.every((w) => w.version === version || w.weight === 0);
}

function describeLive(live: LiveModel | undefined): Record<string, number> {
  if (!live) return {};
  return Object.fromEntries(
    [...live.versions].map((v) => [
      v,
      live.traffic.weights.find((w) => w.version === v)?.weight ?? 0,
    ]),
  );
}

async function converge(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  target: ModelVersion,
  now: Date,
): Promise<DeploymentOutcome> {
  const model = target.name;
  const version = String(target.version);
  const liveModel = await context.server.describe(model);
  const inSync = isInSync(liveModel, version);
  // Nothing loaded at all is a (re)started server, not a change by hand: apply, don't heal.
  const liveEmpty = !liveModel;
  const wasApplied = !liveEmpty && base.served?.model === model && base.served.version === version;
  let conditions = removeCondition(base.conditions, 'Stalled');
  if (inSync) {
    conditions = removeCondition(conditions, 'Drifted');
    conditions = setCondition(
      conditions,
      ready('True', REASONS.applied, `serving ${model}@${version}`),
      now,
    );
    return {
      status: {
        ...base,
        conditions,
        lastAppliedRevision: base.lastAppliedRevision ?? context.revision,
      },
      events: [],
    };
  }
  const { rolledBack } = base;
  if (rolledBack?.version === version && rolledBack.generation === deployment.generation) {
    // The spec still asks for what was rolled back: keep serving the version rolled back to
    // (healing it like any other) until Git says otherwise.
    return keepRolledBack(context, deployment, base, liveModel, now);
  }
  const primary = base.served;
  const liveHasPrimary = primary && liveModel?.versions.has(primary.version);
  const rollingOut = primary?.model === model && !wasApplied && liveHasPrimary;
  const progressive = rollingOut ? progressiveRollout(deployment.spec.strategy) : null;
  if (progressive) {
    const pass = { context, deployment, base, target, now };
    return progressRollout(pass, liveModel, progressive);
  }
  const live = describeLive(liveModel);
  if (wasApplied && !deployment.spec.selfHeal) {
    const message = `live state of ${model} changed by hand (${JSON.stringify(live)}); selfHeal is off, so it is only reported`;
    conditions = setCondition(
      conditions,
      { type: 'Drifted', status: 'True', reason: REASONS.liveChanged, message },
      now,
    );
    conditions = setCondition(conditions, ready('False', REASONS.liveChanged, message), now);
    return {
      status: { ...base, conditions },
      events: [
        deploymentEvent(
          { context, deployment },
          { type: 'DriftDetected', severity: 'warning', reason: REASONS.liveChanged, message },
        ),
      ],
    };
  }
  await applyReplace(context, deployment, target, liveModel);
  const action = wasApplied ? 'deployment.heal' : 'deployment.apply';
  await auditDeploymentChange(
    { context, deployment, now },
    { action, before: { live }, after: { model, version, digest: target.digest } },
  );
  conditions = removeCondition(conditions, 'Drifted');
  conditions = setCondition(
    conditions,
    ready('True', REASONS.applied, `serving ${model}@${version}`),
    now,
  );
  const served = { model, version, digest: target.digest };
  const [latest] = base.history;
  const repeated = latest?.revision === context.revision && latest.version === version;
  const history =
    wasApplied || repeated
      ? base.history
      : [
          {
            revision: context.revision,
            version,
            digest: target.digest,
            appliedAt: now.toISOString(),
          },
          ...base.history,
        ].slice(0, HISTORY_LIMIT);
  const event = deploymentEvent(
    { context, deployment },
    wasApplied
      ? {
          type: 'DriftHealed',
          severity: 'warning',
          reason: REASONS.healed,
          message: `live state of ${model} was changed by hand (${JSON.stringify(live)}); restored ${model}@${version}`,
        }
      : {
          type: 'Applied',
          severity: 'info',
          reason: REASONS.applied,
          message: `serving ${model}@${version} (${target.digest.slice(0, 19)})`,
        },
  );
  return {
    status: { ...base, conditions, served, history, lastAppliedRevision: context.revision },
    events: [event],
  };
}

/** How a progressive strategy rolls a new version out beside the serving one; null for replace. */
function progressiveRollout(strategy: ResolvedStrategy): ProgressiveRollout | null {
  switch (strategy.type) {
    case 'canary':
      return canaryRollout(strategy);
    case 'shadow':
      return shadowRollout(strategy);
    case 'bluegreen':
      return blueGreenRollout(strategy);
    case 'replace':
      return null;
  }
}

/**
 * After a rollback the version rolled back to is what should serve; a live server that lost or
 * changed it (restarted, changed by hand) gets it back, without counting as a new application.
 */
async function keepRolledBack(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  base: DeploymentStatus,
  live: LiveModel | undefined,
  now: Date,
): Promise<DeploymentOutcome> {
  const { served } = base;
  if (!served || isInSync(live, served.version)) return { status: base, events: [] };
  const primary = await context.metadata.getModelVersion(served.model, {
    version: Number(served.version),
  });
  if (!primary) return { status: base, events: [] };
  const outcome = await converge(context, deployment, { ...base, rolledBack: null }, primary, now);
  // Still rolled back: Ready keeps saying so, and nothing new was applied from Git.
  const ready = base.conditions.find((c) => c.type === 'Ready');
  const conditions = outcome.status.conditions.map((c) => (c.type === 'Ready' && ready) || c);
  const { history, lastAppliedRevision, rolledBack } = base;
  return {
    ...outcome,
    status: { ...outcome.status, conditions, history, lastAppliedRevision, rolledBack },
  };
}

/**
 * Replace: the new version is loaded and takes all traffic before the others are unloaded, and
 * an unloaded version finishes its requests first, so no request fails during the switch.
 */
async function applyReplace(
  context: DeploymentContext,
  deployment: ResolvedDeployment,
  target: ModelVersion,
  live: LiveModel | undefined,
): Promise<void> {
  const { server } = context;
  const model = target.name;
  const version = String(target.version);
  if (!live?.versions.has(version)) await server.load(target, deployment);
  await server.setTraffic(model, { weights: [{ version, weight: 1 }] });
  for (const other of live?.versions ?? []) {
    if (other !== version) await server.unload(model, other);
  }
}
