import type { AnalysisCheck } from '../api/types.js';
import { formatNumber } from './format.js';

/**
 * Which way a rollout check's threshold points: its `bound`. Checks recorded before they had one
 * (older statuses and audit entries) give it away by their verdict whenever value and threshold
 * differ (a passing value above its threshold is a minimum); for equal values the names the
 * controller holds to a minimum decide (src/controller/canary-analysis.ts, rollout-shadow.ts).
 */
const MINIMUMS = new Set(['onlineAccuracy', 'predictionDriftPValue', 'shadowAgreement']);

export type CheckBound = NonNullable<AnalysisCheck['bound']>;

export function boundOf(check: AnalysisCheck): CheckBound {
  if (check.bound !== undefined) return check.bound;
  if (check.value === null || check.value === check.threshold)
    return MINIMUMS.has(check.name) ? 'min' : 'max';
  return check.value > check.threshold === check.passed ? 'min' : 'max';
}

/** `≥ 0.9` or `≤ 0.05`: what the check asked for. */
export function describeRequirement(check: AnalysisCheck): string {
  return `${boundOf(check) === 'min' ? '≥' : '≤'} ${formatNumber(check.threshold)}`;
}

/** One sentence: `onlineAccuracy 0, needs ≥ 0.9: failed`. */
export function describeCheck(check: AnalysisCheck): string {
  return `${check.name} ${formatNumber(check.value)}, needs ${describeRequirement(check)}: ${check.passed ? 'passed' : 'failed'}`;
}

/** Checks from an audit entry's JSON, keeping only well-formed ones. */
export function readChecks(value: unknown): AnalysisCheck[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is AnalysisCheck =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as AnalysisCheck).name === 'string' &&
      typeof (c as AnalysisCheck).threshold === 'number' &&
      typeof (c as AnalysisCheck).passed === 'boolean' &&
      (typeof (c as AnalysisCheck).value === 'number' || (c as AnalysisCheck).value === null),
  );
}
