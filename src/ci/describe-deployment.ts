/**
 * One-line descriptions of a deployment's settings, for the preview of `weft ci`: how a model
 * selector names its version, what a strategy does, and which settings differ between two
 * specs. Pure; the words follow the README's description of the controller.
 */
import { formatDuration } from '../spec/deployment-duration.js';
import type {
  ResolvedDeploymentSpec,
  ResolvedModelSelector,
  ResolvedStrategy,
} from '../spec/deployment-types.js';

/** `version 2`, `alias production`, `digest sha256:0123456789ab`, or the follow policy's pick. */
export function describeSelector(model: ResolvedModelSelector): string {
  const { ref } = model;
  if (!ref) return `newest version that passed its gates`;
  if ('version' in ref) return `version ${ref.version}`;
  if ('alias' in ref) return `alias ${ref.alias}`;
  return `digest ${ref.digest.slice(0, 19)}`;
}

/** The strategy with the settings that decide how traffic moves. */
export function describeStrategy(strategy: ResolvedStrategy): string {
  switch (strategy.type) {
    case 'replace':
      return 'replace';
    case 'canary':
      return `canary ${strategy.steps.map((s) => `${s}%`).join(' → ')} every ${formatDuration(strategy.intervalMs)}, rollback after ${failedAnalyses(strategy.maxFailedChecks)}`;
    case 'shadow':
      return `shadow for ${formatDuration(strategy.durationMs)} (at least ${plural(strategy.minRequests, 'request', 'requests')})`;
    case 'bluegreen':
      return `blue-green, old version kept ${formatDuration(strategy.rollbackWindowMs)}, analysed every ${formatDuration(strategy.intervalMs)}, rollback after ${failedAnalyses(strategy.maxFailedChecks)}`;
  }
}

/**
 * What the controller does when it moves from `from` to `to` with this strategy (reconcile-
 * deployment.ts and the rollout-*.ts steps), in one sentence.
 */
export function describeStrategyRollout(
  strategy: ResolvedStrategy,
  shadowAgreement: number | null,
  from: string,
  to: string,
): string {
  switch (strategy.type) {
    case 'replace':
      return `loads ${to}, moves all traffic to it, then unloads ${from}`;
    case 'canary':
      return `loads ${to} beside ${from} and steps its traffic ${strategy.steps.map((s) => `${s}%`).join(' → ')}, one step every ${formatDuration(strategy.intervalMs)} after an analysis of its live evidence; ${failedAnalyses(strategy.maxFailedChecks)} ${strategy.maxFailedChecks === 1 ? 'rolls' : 'roll'} it back to ${from}`;
    case 'shadow': {
      const agreement =
        shadowAgreement === null
          ? ''
          : ` if it agreed with ${from} at least ${Number((shadowAgreement * 100).toFixed(1))}% of the time`;
      return `loads ${to} as the shadow of ${from} (a copy of every request, no answers) for ${formatDuration(strategy.durationMs)}, then promotes it${agreement}, else drops it`;
    }
    case 'bluegreen':
      return `moves all traffic to ${to} at once and keeps ${from} loaded for ${formatDuration(strategy.rollbackWindowMs)}, analysed every ${formatDuration(strategy.intervalMs)}; ${failedAnalyses(strategy.maxFailedChecks)} ${strategy.maxFailedChecks === 1 ? 'moves' : 'move'} traffic back to ${from}`;
  }
}

/** Each setting that differs, as `key: before → after`, in the order the spec is written. */
export function diffDeploymentSpecs(
  before: ResolvedDeploymentSpec,
  after: ResolvedDeploymentSpec,
): string[] {
  const differences: string[] = [];
  const compare = (key: string, a: string, b: string): void => {
    if (a !== b) differences.push(`${key}: ${a} → ${b}`);
  };
  compare('model', before.model.name, after.model.name);
  compare('model version', describeSelector(before.model), describeSelector(after.model));
  compare('follow', describeFollow(before.model), describeFollow(after.model));
  compare('runtime', describeRuntime(before), describeRuntime(after));
  compare('strategy', describeStrategy(before.strategy), describeStrategy(after.strategy));
  for (const key of Object.keys(after.analysis) as (keyof typeof after.analysis)[]) {
    compare(
      `analysis.${key}`,
      describeValue(before.analysis[key]),
      describeValue(after.analysis[key]),
    );
  }
  compare('batching', describeBatching(before), describeBatching(after));
  compare('selfHeal', onOff(before.selfHeal), onOff(after.selfHeal));
  compare('suspend', String(before.suspend), String(after.suspend));
  // Settings added to the spec later than this list are still told, as JSON.
  const others = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => !DESCRIBED_SETTINGS.has(key),
  );
  for (const key of others.sort()) {
    compare(key, describeJson(before, key), describeJson(after, key));
  }
  return differences;
}

const DESCRIBED_SETTINGS = new Set([
  'model',
  'runtime',
  'strategy',
  'analysis',
  'batching',
  'selfHeal',
  'suspend',
]);

function describeJson(spec: ResolvedDeploymentSpec, key: string): string {
  const value = (spec as unknown as Record<string, unknown>)[key];
  return value === undefined ? 'none' : JSON.stringify(value);
}

function describeFollow(model: ResolvedModelSelector): string {
  if (!model.follow) return 'none';
  return `${model.follow.branch}${model.follow.passedGates ? '' : ' (gates not required)'}`;
}

function describeRuntime(spec: ResolvedDeploymentSpec): string {
  const { runtime } = spec;
  return runtime.kind === 'onnx' ? 'onnx' : `external (${runtime.command.join(' ')})`;
}

function describeBatching(spec: ResolvedDeploymentSpec): string {
  const { batching } = spec;
  return batching
    ? `up to ${batching.maxBatchSize} requests within ${formatDuration(batching.maxLatencyMs)}`
    : 'off';
}

/** An analysis threshold: a number, a {psi, jensenShannon} pair, or null when the check is off. */
function describeValue(value: number | { psi: number; jensenShannon: number } | null): string {
  if (value === null) return 'off';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

function failedAnalyses(count: number): string {
  return plural(count, 'failed analysis', 'failed analyses');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
