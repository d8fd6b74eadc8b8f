/**
 * Gaps between groups, computed from per-group tallies (sufficient statistics) rather than full
 * metrics, so a bootstrap can recompute them thousands of times without allocating per row.
 */

export interface Gaps {
  demographicParityDifference: number;
  demographicParityRatio: number;
  /** Null for regression. */
  equalizedOddsDifference: number | null;
  metricGap: number;
}

export interface GroupRates {
  selectionRate: number;
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
}

/** Per-group counts or sums that rows are added to one by one. */
export interface GroupTally {
  clear(): void;
  /** Adds the row at `position` of the group layout (GroupLayout.rows) to `group`. */
  add(group: number, position: number): void;
  gaps(): Gaps;
  /** The class the gaps and rates are about (classification), else null. */
  positiveClass(): number | null;
  rates(group: number): GroupRates;
}

/** max - min of the values that are defined; 0 when fewer than two are. */
export function spread(values: readonly (number | null)[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value === null) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return max >= min ? max - min : 0;
}

/** min / max, 1 when the largest value is 0 (no group is selected at all, so none is favoured). */
export function ratio(values: readonly number[]): number {
  const max = Math.max(...values);
  return max === 0 ? 1 : Math.min(...values) / max;
}
