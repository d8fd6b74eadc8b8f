/**
 * What merging a change would do to each ModelDeployment, from the specs alone: the base
 * revision's deploy/*.yaml against the head's, with each model selector looked up in the local
 * registry. No access to production: "from" is what the base revision asks for, not what a
 * server reports, and a version this registry does not know is said to be unknown here. Pure.
 */
import type { Digest } from '../core/digest.js';
import type {
  ResolvedDeployment,
  ResolvedModelSelector,
  ResolvedStrategy,
} from '../spec/deployment-types.js';
import {
  describeSelector,
  describeStrategyRollout,
  diffDeploymentSpecs,
} from './describe-deployment.js';

/** What the local registry says a model selector names (resolveDeploymentTarget). */
export type TargetLookup = { found: true; version: number; digest: Digest } | { found: false };

/** The model version this change's pipeline built, and its verdict (null: no gates). */
export interface BuiltModel {
  name: string;
  version: number;
  digest: Digest;
  gatesPassed: boolean | null;
}

export interface PreviewInput {
  /** The base revision's deployments; null when there is no base (every deployment is new). */
  base: readonly ResolvedDeployment[] | null;
  head: readonly ResolvedDeployment[];
  /** Each side's lookup by deployment name; a missing entry counts as not found. */
  baseTargets: ReadonlyMap<string, TargetLookup>;
  headTargets: ReadonlyMap<string, TargetLookup>;
  built: BuiltModel | null;
}

export type PreviewChange = 'new' | 'changed' | 'removed' | 'unchanged';

/** One side of a deployment: the version its spec selects, as far as this registry knows. */
export interface PreviewTarget {
  model: string;
  /** How the spec names it: `version 2`, `alias production`, `digest sha256:…`. */
  selector: string;
  /** null: the registry here has no such version. */
  version: number | null;
  digest: Digest | null;
  /** The version is the model this change's pipeline built. */
  builtByThisChange: boolean;
}

export interface DeploymentPreviewEntry {
  name: string;
  /** The head's file, or the base's for a removed deployment. */
  file: string;
  change: PreviewChange;
  /** null for a new deployment. */
  from: PreviewTarget | null;
  /** null for a removed one. */
  to: PreviewTarget | null;
  strategy: ResolvedStrategy;
  suspend: boolean;
  follow: { branch: string; passedGates: boolean } | null;
  /** Settings that differ from the base, `key: before → after`. */
  differences: string[];
  /** What the controller would do once this is merged, in one or two sentences. */
  rollout: string;
}

export interface DeploymentPreview {
  /** Sorted by name: every deployment of either side. */
  entries: DeploymentPreviewEntry[];
}

export function previewDeployments(input: PreviewInput): DeploymentPreview {
  const base = new Map((input.base ?? []).map((d) => [d.name, d]));
  const head = new Map(input.head.map((d) => [d.name, d]));
  const names = [...new Set([...base.keys(), ...head.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return {
    entries: names.map((name) => {
      const before = base.get(name);
      const after = head.get(name);
      const from = before && toTarget(before.spec.model, input.baseTargets.get(name), input.built);
      const to = after && toTarget(after.spec.model, input.headTargets.get(name), input.built);
      return describeEntry(before, after, from ?? null, to ?? null, input.built);
    }),
  };
}

function toTarget(
  model: ResolvedModelSelector,
  lookup: TargetLookup | undefined,
  built: BuiltModel | null,
): PreviewTarget {
  const found = lookup?.found === true ? lookup : null;
  return {
    model: model.name,
    selector: describeSelector(model),
    version: found?.version ?? null,
    digest: found?.digest ?? null,
    builtByThisChange:
      found !== null &&
      built !== null &&
      built.name === model.name &&
      built.digest === found.digest,
  };
}

function describeEntry(
  before: ResolvedDeployment | undefined,
  after: ResolvedDeployment | undefined,
  from: PreviewTarget | null,
  to: PreviewTarget | null,
  built: BuiltModel | null,
): DeploymentPreviewEntry {
  const shown = (after ?? before) as ResolvedDeployment;
  const change: PreviewChange = !before
    ? 'new'
    : !after
      ? 'removed'
      : before.generation === after.generation
        ? 'unchanged'
        : 'changed';
  const entry: DeploymentPreviewEntry = {
    name: shown.name,
    file: shown.file,
    change,
    from,
    to,
    strategy: shown.spec.strategy,
    suspend: shown.spec.suspend,
    follow: after?.spec.model.follow ?? null,
    differences: before && after ? diffDeploymentSpecs(before.spec, after.spec) : [],
    rollout: '',
  };
  const follow = after ? describeFollow(after, to, built) : '';
  entry.rollout = [describeRollout(entry, before, after), follow].filter(Boolean).join(' ');
  return entry;
}

/** The controller's steps for one deployment: suspended? -> resolve -> compare -> apply. */
function describeRollout(
  entry: DeploymentPreviewEntry,
  before: ResolvedDeployment | undefined,
  after: ResolvedDeployment | undefined,
): string {
  const { from, to } = entry;
  if (!after || !to) {
    return 'No longer reconciled: the controller stops managing it and leaves what it serves loaded.';
  }
  if (after.spec.suspend) {
    return before?.spec.suspend
      ? 'Suspended: nothing rolls out.'
      : 'Suspended: the controller leaves the live state as it is; nothing rolls out.';
  }
  const resumed = before?.spec.suspend ? 'Resumes reconciliation. ' : '';
  const target = formatTarget(to);
  if (to.version === null) {
    return `${resumed}${target} is unknown here; the controller rolls it out if its registry has it, else the deployment stalls until a revision names a version it has.`;
  }
  if (!from) {
    const later =
      after.spec.strategy.type === 'replace'
        ? ''
        : ` (the ${after.spec.strategy.type} strategy applies to the versions after it)`;
    return `${resumed}First rollout: loads ${target} and sends it all traffic${later}.`;
  }
  if (from.digest !== null && from.digest === to.digest) {
    if (entry.change === 'unchanged') return `${resumed}No change: keeps serving ${target}.`;
    return `${resumed}No rollout: keeps serving ${target}; the new settings apply to the next rollout.`;
  }
  const previous = from.version === null ? 'the version serving now' : formatTarget(from);
  const unknownBase =
    from.version === null ? ` The base asks for ${from.selector}, unknown here.` : '';
  const how = describeStrategyRollout(
    after.spec.strategy,
    after.spec.analysis.minShadowAgreement,
    previous,
    target,
  );
  return `${resumed}${capitalize(after.spec.strategy.type)}: ${how}.${unknownBase}`;
}

/**
 * A deployment that follows a branch gets `version: N` committed by the controller once a newer
 * version built on that branch passes its gates (follow-bump.ts): after a merge, that is the
 * version this change built, when it was built and passed.
 */
function describeFollow(
  after: ResolvedDeployment,
  to: PreviewTarget | null,
  built: BuiltModel | null,
): string {
  const { model } = after.spec;
  if (!model.follow || after.spec.suspend) return '';
  const branch = model.follow.branch;
  if (!built || built.name !== model.name) {
    return `Follows ${branch}: the controller commits the newest version built on ${branch} that passed its gates.`;
  }
  const version = `${built.name}@${built.version}`;
  const current = model.ref && 'version' in model.ref ? model.ref.version : 0;
  if (to?.builtByThisChange || built.version <= current) return `Follows ${branch}.`;
  if (model.follow.passedGates && built.gatesPassed !== true) {
    const why = built.gatesPassed === false ? 'failed its gates' : 'has no passed validation';
    return `Follows ${branch}: ${version} (built by this change) ${why}, so the controller will not move to it.`;
  }
  return `Follows ${branch}: once merged, the controller commits ${version} (built by this change) into ${after.file} and rolls it out.`;
}

/** `penguins@2`, or how the spec names it when this registry cannot tell. */
export function formatTarget(target: PreviewTarget): string {
  if (target.version === null) return `${target.model} ${target.selector}`;
  return `${target.model}@${target.version}`;
}

function capitalize(text: string): string {
  return text === 'bluegreen' ? 'Blue-green' : `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
