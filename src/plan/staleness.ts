import { canonicalJson, type Digest } from '../core/digest.js';
import type { ResolvedStage } from '../spec/types.js';
import type { PathDigest } from '../store/types.js';
import type { CacheKeyInput } from './cache-key.js';
import type { LockedStage } from './lockfile.js';

/** A stage as found in the workspace now, next to what weft.lock says it last ran with. */
export interface ObservedStage {
  stage: ResolvedStage;
  input: CacheKeyInput;
  key: Digest;
  /** Current digest of each output, undefined when it is missing. */
  outs: Map<string, PathDigest | undefined>;
  locked: LockedStage | undefined;
}

/**
 * Why a stage is not up to date, one short sentence per cause, in the order a user would check
 * them. Empty means up to date. Pure: all I/O happened while observing.
 */
export function explainStaleness(observed: ObservedStage): string[] {
  const { stage, input, locked } = observed;
  if (!locked) return ['never run (not in weft.lock)'];
  const reasons = [
    ...(locked.cmd === input.cmd ? [] : ['cmd changed']),
    ...diffDeps(locked.deps, input.deps),
    ...diffValues('param', flatten(locked.params), flatten(input.params)),
    ...diffValues('env', locked.env, input.env),
    ...diffOutList(
      locked.outs.map((o) => o.path),
      input.outs,
    ),
  ];
  if (reasons.length === 0 && locked.key !== observed.key) {
    reasons.push('stage definition or weft cache format changed');
  }
  reasons.push(...diffOuts(locked, observed.outs));
  if (stage.alwaysRun) reasons.push('alwaysRun is set');
  return reasons;
}

function diffDeps(locked: LockedStage['deps'], current: CacheKeyInput['deps']): string[] {
  const before = new Map(locked.map((d) => [d.path, d.digest]));
  const reasons: string[] = [];
  for (const dep of current) {
    const previous = before.get(dep.path);
    if (previous === undefined) reasons.push(`dep ${dep.path} added`);
    else if (previous !== dep.digest) reasons.push(`dep ${dep.path} changed`);
    before.delete(dep.path);
  }
  for (const path of before.keys()) reasons.push(`dep ${path} removed`);
  return reasons;
}

function diffValues(
  noun: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const reasons: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [a, b] = [before[key], after[key]];
    if (a === undefined) reasons.push(`${noun} ${key} added (${show(b)})`);
    else if (b === undefined) reasons.push(`${noun} ${key} removed`);
    else if (canonicalJson(a) !== canonicalJson(b)) {
      reasons.push(`${noun} ${key} changed (${show(a)} -> ${show(b)})`);
    }
  }
  return reasons;
}

function diffOutList(locked: string[], current: string[]): string[] {
  const [before, after] = [new Set(locked), new Set(current)];
  return [
    ...current.filter((p) => !before.has(p)).map((p) => `out ${p} added`),
    ...locked.filter((p) => !after.has(p)).map((p) => `out ${p} removed`),
  ];
}

function diffOuts(locked: LockedStage, current: Map<string, PathDigest | undefined>): string[] {
  const reasons: string[] = [];
  for (const out of locked.outs) {
    if (!current.has(out.path)) continue;
    const now = current.get(out.path);
    if (now === undefined) reasons.push(`out ${out.path} missing`);
    else if (now.digest !== out.digest) reasons.push(`out ${out.path} modified`);
  }
  return reasons;
}

/** Nested params become dotted leaves, so a change names the exact key (`train.lr`). */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const leaves: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) {
      Object.assign(leaves, flatten(child as Record<string, unknown>, path));
    } else {
      leaves[path] = child;
    }
  }
  return leaves;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export type StageAction = 'skip' | 'restore' | 'run';

export interface StageDecision {
  action: StageAction;
  reasons: string[];
}

/** Up to date is skipped; stale is restored when the run cache has the key, else run. */
export function decideStage(
  reasons: string[],
  options: { force: boolean; alwaysRun: boolean; cached: boolean },
): StageDecision {
  if (options.force) return { action: 'run', reasons: ['--force', ...reasons] };
  if (reasons.length === 0) return { action: 'skip', reasons: ['up to date'] };
  if (options.cached && !options.alwaysRun) return { action: 'restore', reasons };
  return { action: 'run', reasons };
}
