import {
  DURATION_PATTERN,
  formatDuration,
  MAX_DURATION_MS,
  parseDuration,
} from './deployment-duration.js';
import type { ResolvedStrategy, StrategyType } from './deployment-types.js';
import type { Resolver } from './resolver.js';
import { reportKey } from './deployment-problems.js';
import { isPlainObject } from './yaml-document.js';
import type { YamlPath } from './yaml-document.js';

const AT: YamlPath = ['spec', 'strategy'];

export const DEFAULT_CANARY = Object.freeze({
  steps: Object.freeze([10, 25, 50, 100]),
  intervalMs: 60_000,
  maxFailedChecks: 2,
});
export const DEFAULT_SHADOW = Object.freeze({ durationMs: 600_000, minRequests: 100 });
export const DEFAULT_BLUEGREEN = Object.freeze({
  rollbackWindowMs: 600_000,
  intervalMs: 60_000,
  maxFailedChecks: 2,
});

const STRATEGY_TYPES: readonly StrategyType[] = ['replace', 'canary', 'shadow', 'bluegreen'];

/** `spec.strategy` with defaults applied; the schema has already checked the types. */
export function resolveStrategy(r: Resolver, raw: Record<string, unknown>): ResolvedStrategy {
  const type = STRATEGY_TYPES.find((t) => t === raw.type) ?? 'replace';
  checkSettingsMatchType(r, raw, type);
  const settings = isPlainObject(raw[type]) ? raw[type] : {};
  const at: YamlPath = [...AT, type];
  const duration = (key: string, fallback: number): number =>
    resolveDuration(r, settings[key], [...at, key], fallback);
  const count = (key: string, fallback: number): number =>
    typeof settings[key] === 'number' ? settings[key] : fallback;
  switch (type) {
    case 'replace':
      return { type };
    case 'canary':
      return {
        type,
        steps: resolveSteps(r, settings.steps, [...at, 'steps']),
        intervalMs: duration('interval', DEFAULT_CANARY.intervalMs),
        maxFailedChecks: count('maxFailedChecks', DEFAULT_CANARY.maxFailedChecks),
      };
    case 'shadow':
      return {
        type,
        durationMs: duration('duration', DEFAULT_SHADOW.durationMs),
        minRequests: count('minRequests', DEFAULT_SHADOW.minRequests),
      };
    case 'bluegreen':
      return {
        type,
        rollbackWindowMs: duration('rollbackWindow', DEFAULT_BLUEGREEN.rollbackWindowMs),
        intervalMs: duration('interval', DEFAULT_BLUEGREEN.intervalMs),
        maxFailedChecks: count('maxFailedChecks', DEFAULT_BLUEGREEN.maxFailedChecks),
      };
  }
}

/** Settings of another type would be silently ignored; most often `type:` was forgotten. */
function checkSettingsMatchType(
  r: Resolver,
  raw: Record<string, unknown>,
  type: StrategyType,
): void {
  // An unknown type is the schema's to report; which settings it meant cannot be told.
  if (raw.type !== undefined && raw.type !== type) return;
  const stated = raw.type === undefined ? `${type} (the default)` : type;
  for (const other of STRATEGY_TYPES) {
    if (other === type || raw[other] === undefined) continue;
    reportKey(
      r,
      [...AT, other],
      `${other} settings apply only to type ${other}, and type is ${stated}; set type: ${other} or remove them`,
    );
  }
}

/**
 * Canary weights: each step must send more traffic than the one before, and the last sends all
 * of it, so a canary that passes every step has fully taken over.
 */
function resolveSteps(r: Resolver, raw: unknown, at: YamlPath): number[] {
  if (!Array.isArray(raw)) return [...DEFAULT_CANARY.steps];
  const steps: number[] = [];
  for (const [index, step] of raw.entries()) {
    if (!isPercent(step)) continue; // the schema reports it
    const previous = steps[steps.length - 1];
    if (previous !== undefined && step <= previous) {
      r.report(
        [...at, index],
        `step ${step} is not above the step before it (${previous}); steps must be strictly increasing`,
      );
    }
    steps.push(step);
  }
  const last: unknown = raw[raw.length - 1];
  if (isPercent(last) && last !== 100) {
    r.report(
      [...at, raw.length - 1],
      `the last step must be 100, so the new version ends with all traffic; got ${last}`,
    );
  }
  return steps;
}

function isPercent(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 100;
}

/** Milliseconds of a duration; a malformed one is the schema's to report. */
export function resolveDuration(r: Resolver, raw: unknown, at: YamlPath, fallback: number): number {
  if (typeof raw !== 'string' || !DURATION_PATTERN.test(raw)) return fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms > MAX_DURATION_MS) {
    r.report(at, `expected at most ${formatDuration(MAX_DURATION_MS)}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  if (ms === 0) {
    r.report(at, `expected a duration above zero, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return ms;
}
