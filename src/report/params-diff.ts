import { canonicalJson } from '../core/digest.js';

/** One param whose value differs; a side where the param is not set has no property. */
export interface ParamChange {
  key: string;
  candidate?: unknown;
  baseline?: unknown;
}

/**
 * The params that differ between candidate and baseline, sorted by key. Values compare as
 * canonical JSON so objects whose keys were written in another order are still equal.
 */
export function diffParams(
  candidate: Record<string, unknown>,
  baseline: Record<string, unknown>,
): ParamChange[] {
  const keys = [...new Set([...Object.keys(candidate), ...Object.keys(baseline)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return keys.flatMap((key): ParamChange[] => {
    const before = baseline[key];
    const after = candidate[key];
    if (sameParam(before, after)) return [];
    const change: ParamChange = { key };
    if (after !== undefined) change.candidate = after;
    if (before !== undefined) change.baseline = before;
    return [change];
  });
}

function sameParam(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

/** How a param value reads in a table: JSON, so `"1"` and `1` stay apart. */
export function formatParam(value: unknown): string {
  return value === undefined ? 'not set' : canonicalJson(value);
}
