import type { MetadataStore, ModelVersion } from '../registry/types.js';
import type { EvidenceStore, RequestLog, ShadowLog } from '../serving/evidence/index.js';
import type { LoadedVersion } from '../serving/loaded-version.js';
import type { ModelTable, TrafficPolicy } from '../serving/model-table.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import { REASONS, removeCondition, setCondition, type Condition } from './conditions.js';
import { HISTORY_LIMIT, type DeploymentStatus } from './deployment-status.js';
import type { ControllerEvent } from './notify/index.js';
import { stall, toReconcileError } from './reconcile-errors.js';
import { progressCanary } from './rollout-canary.js';
import { progressShadow } from './rollout-shadow.js';
import { progressBlueGreen } from './rollout-bluegreen.js';

/** The part of the model server the controller drives. */
export interface LiveServer {
  table: ModelTable;
  requests: RequestLog;
  shadows: ShadowLog;
  evidence: EvidenceStore;
  load(
    version: LoadedVersion,
    options?: { batching?: ResolvedDeployment['spec']['batching'] },
  ): void;
  setTraffic(model: string, traffic: TrafficPolicy): void;
  unload(model: string, version: string): Promise<void>;
}

export interface DeploymentContext {
  metadata: MetadataStore;
  server: LiveServer;
  /** Starts a registry version in a runtime the deployment asks for (not yet in service). */
  startVersion(version: ModelVersion, deployment: ResolvedDeployment): Promise<LoadedVersion>;
  revision: string;
  now(): Date;
}

export type EventDraft = Omit<ControllerEvent, 'id' | 'at'>;

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
  const object = { kind: 'ModelDeployment', name: deployment.name };
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
    const event: EventDraft = {
      type: 'ReconcileFailed',
      severity: 'error',
      object,
      reason: failure.reason,
      revision: context.revision,
      message: failure.message,
    };
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
  const found = model.ref
    ? await metadata.getModelVersion(model.name, model.ref)
    : await newestValidated(metadata, model.name);
  if (!found) {
    throw stall(
      REASONS.versionNotFound,
      `model ${model.name} has no version ${describeRef(model.ref)} in the registry`,
    );
  }
  return found;
}

async function newestValidated(
  metadata: MetadataStore,
  name: string,
): Promise<ModelVersion | undefined> {
  for (const version of await metadata.listModelVersions(name, { limit: 50 })) {
    const [validation] = await metadata.listModelChecks(name, version.version, {
      kind: 'validation',
      limit: 1,
    });
    if (validation?.passed) return version;
  }
  return undefined;
}

function describeRef(ref: ResolvedDeployment['spec']['model']['ref']): string {
  if (!ref) return 'that passed its gates';
  if ('version' in ref) return String(ref.version);
  if ('alias' in ref) return `with alias ${ref.alias}`;
  return ref.digest;
}

/** Serves exactly the target: loaded, taking all traffic, nothing else left loaded. */
function isInSync(table: ModelTable, model: string, version: string): boolean {
  const entry = table.models.get(model);
  if (!entry || entry.versions.size !== 1 || !entry.versions.has(version) || entry.traffic.shadow)
    return false;
  return entry.traffic.weights.every((w) => w.version === version || w.weight === 0);
}

function describeLive(table: ModelTable, model: string): Record<string, number> {
  const entry = table.models.get(model);
  if (!entry) return {};
  return Object.fromEntries(
    [...entry.versions.keys()].map((v) => [
      v,
      entry.traffic.weights.find((w) => w.version === v)?.weight ?? 0,
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
  const object = { kind: 'ModelDeployment', name: deployment.name };
  const inSync = isInSync(context.server.table, model, version);
  // Nothing loaded at all is a (re)started server, not a change by hand: apply, don't heal.
  const liveEmpty = !context.server.table.models.has(model);
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
  const { strategy } = deployment.spec;
  const { rolledBack } = base;
  if (rolledBack?.version === version && rolledBack.generation === deployment.generation) {
    // The spec still asks for what was rolled back: wait for Git to say otherwise.
    return { status: base, events: [] };
  }
  const primary = base.served;
  const liveHasPrimary =
    primary && context.server.table.models.get(model)?.versions.has(primary.version);
  const rollingOut = primary?.model === model && !wasApplied && liveHasPrimary;
  if (rollingOut && strategy.type === 'canary') {
    return progressCanary(context, deployment, base, target, strategy, now);
  }
  if (rollingOut && strategy.type === 'shadow') {
    return progressShadow(context, deployment, base, target, strategy, now);
  }
  if (rollingOut && strategy.type === 'bluegreen') {
    return progressBlueGreen(context, deployment, base, target, strategy, now);
  }
  const live = describeLive(context.server.table, model);
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
        {
          type: 'DriftDetected',
          severity: 'warning',
          object,
          reason: REASONS.liveChanged,
          revision: context.revision,
          message,
        },
      ],
    };
  }
  await applyReplace(context, deployment, target, version);
  const action = wasApplied ? 'deployment.heal' : 'deployment.apply';
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action,
    object,
    revision: context.revision,
    before: { live },
    after: { model, version, digest: target.digest },
  });
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
  const event: EventDraft = wasApplied
    ? {
        type: 'DriftHealed',
        severity: 'warning',
        object,
        reason: REASONS.healed,
        revision: context.revision,
        message: `live state of ${model} was changed by hand (${JSON.stringify(live)}); restored ${model}@${version}`,
      }
    : {
        type: 'Applied',
        severity: 'info',
        object,
        reason: REASONS.applied,
        revision: context.revision,
        message: `serving ${model}@${version} (${target.digest.slice(0, 19)})`,
      };
  return {
    status: { ...base, conditions, served, history, lastAppliedRevision: context.revision },
    events: [event],
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
  version: string,
): Promise<void> {
  const { server } = context;
  const model = target.name;
  if (!server.table.models.get(model)?.versions.has(version)) {
    server.load(await context.startVersion(target, deployment), {
      batching: deployment.spec.batching,
    });
  }
  server.setTraffic(model, { weights: [{ version, weight: 1 }] });
  for (const other of [...(server.table.models.get(model)?.versions.keys() ?? [])]) {
    if (other !== version) await server.unload(model, other);
  }
}
