/**
 * Which test decides drift for a feature, and with what threshold: Evidently's defaults
 * (evidently/legacy/calculations/stattests/registry.py `_get_default_stattest`, and each
 * stattest's `default_threshold`), narrowed to the tests weft computes:
 *
 *   reference rows  | numeric                      | categorical
 *   <= 1000         | KS, drift when p <= 0.05     | chi-squared, drift when p < 0.05
 *   >  1000         | PSI, drift when PSI >= 0.1   | Jensen-Shannon, drift when distance >= 0.1
 *
 * For large numeric references Evidently uses the normed Wasserstein distance; weft reports PSI
 * there instead, a distance too (with Evidently's PSI threshold), because a KS p-value on
 * thousands of rows flags shifts too small to matter. Both KS and PSI are always reported.
 * Evidently's special cases for columns with at most 5 (numeric) or 2 (categorical) distinct
 * values — chi-squared, Jensen-Shannon or a two-proportion z-test — are not reproduced.
 */
import { type CategoryCounts, countCategories } from './category-counts.js';
import { chiSquared } from './chi-squared.js';
import { jensenShannon } from './jensen-shannon.js';
import { ksTwoSample } from './ks-two-sample.js';
import { psi } from './psi.js';

export type FeatureKind = 'numeric' | 'categorical';
export type DriftMethod = 'ks' | 'psi' | 'chisquare' | 'jensenshannon';

/** Evidently's default thresholds: p-values below (KS: at or below), distances at or above. */
export const DRIFT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  psi: 0.1,
  jensenshannon: 0.1,
};

/** Evidently switches from a test to a distance above this many reference rows. */
export const SMALL_REFERENCE_ROWS = 1000;

export interface FeatureDrift {
  kind: FeatureKind;
  /** The test whose result decides `drifted`. */
  method: DriftMethod;
  /** KS D for numeric features; chi-squared or Jensen-Shannon distance for categorical ones. */
  statistic: number;
  /** KS or chi-squared p-value; absent for Jensen-Shannon. */
  pValue?: number;
  /** Numeric features only. */
  psi?: number;
  /** The threshold `method` was held to. */
  threshold: number;
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
}

export function driftTest(kind: FeatureKind, referenceSize: number): DriftMethod {
  const small = referenceSize <= SMALL_REFERENCE_ROWS;
  if (kind === 'numeric') return small ? 'ks' : 'psi';
  return small ? 'chisquare' : 'jensenshannon';
}

/** KS and PSI of a numeric feature; both samples non-empty and finite. */
export function numericDrift(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): FeatureDrift {
  const ks = ksTwoSample(reference, current);
  const psiValue = psi(reference, current);
  const method = driftTest('numeric', reference.length);
  const threshold = DRIFT_THRESHOLDS[method];
  return {
    kind: 'numeric',
    method,
    statistic: ks.statistic,
    pValue: ks.pValue,
    psi: psiValue,
    threshold,
    drifted: method === 'ks' ? ks.pValue <= threshold : psiValue >= threshold,
    referenceSize: reference.length,
    currentSize: current.length,
  };
}

/** Chi-squared or Jensen-Shannon by reference size; both samples non-empty. */
export function categoricalDrift(
  reference: CategoryCounts | readonly string[],
  current: CategoryCounts | readonly string[],
): FeatureDrift {
  const referenceCounts = asCounts(reference);
  const currentCounts = asCounts(current);
  const referenceSize = sizeOf(referenceCounts);
  const method = driftTest('categorical', referenceSize);
  const threshold = DRIFT_THRESHOLDS[method];
  const common = { kind: 'categorical', method, threshold, referenceSize } as const;
  const currentSize = sizeOf(currentCounts);
  if (method === 'chisquare') {
    const { statistic, pValue } = chiSquared(referenceCounts, currentCounts);
    return { ...common, statistic, pValue, drifted: pValue < threshold, currentSize };
  }
  const distance = jensenShannon(referenceCounts, currentCounts);
  return { ...common, statistic: distance, drifted: distance >= threshold, currentSize };
}

function asCounts(sample: CategoryCounts | readonly string[]): CategoryCounts {
  return Array.isArray(sample) ? countCategories(sample) : (sample as CategoryCounts);
}

function sizeOf(counts: CategoryCounts): number {
  let size = 0;
  for (const count of counts.values()) size += count;
  return size;
}
