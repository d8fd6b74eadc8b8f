/**
 * Pearson's chi-squared goodness-of-fit of the current categories against the reference, as
 * Evidently's `chisquare` stattest runs it (evidently/legacy/calculations/stattests/
 * chisquare_stattest.py): the expected counts are the reference counts scaled to the current
 * total, over the union of both samples' categories, then scipy.stats.chisquare.
 */
import { WeftError } from '../../core/errors.js';
import { alignCounts, total, type CategoryCounts } from './category-counts.js';
import { chiSquaredSurvival } from './special-functions.js';

export interface ChiSquaredResult {
  statistic: number;
  /** With k categories, from chi-squared with k - 1 degrees of freedom. */
  pValue: number;
}

/**
 * A category the reference never saw makes the statistic infinite and the p-value 0, as in
 * scipy. A single category leaves nothing to test: statistic 0, p-value 1 (scipy says NaN).
 *
 * @throws WeftError DATASET_INVALID when either sample is empty.
 */
export function chiSquared(reference: CategoryCounts, current: CategoryCounts): ChiSquaredResult {
  const counts = alignCounts(reference, current);
  const referenceTotal = total(counts.reference);
  const currentTotal = total(counts.current);
  if (referenceTotal === 0 || currentTotal === 0) {
    throw new WeftError('DATASET_INVALID', 'failed to run the chi-squared test: a sample is empty');
  }
  const scale = currentTotal / referenceTotal;
  let statistic = 0;
  for (let i = 0; i < counts.current.length; i++) {
    const expected = counts.reference[i]! * scale;
    statistic += (counts.current[i]! - expected) ** 2 / expected;
  }
  const degreesOfFreedom = counts.current.length - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1 };
  return { statistic, pValue: chiSquaredSurvival(statistic, degreesOfFreedom) };
}
