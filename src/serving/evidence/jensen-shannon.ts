/**
 * Jensen-Shannon distance between the category distributions of two samples, as Evidently's
 * `jensenshannon` stattest computes it (evidently/legacy/calculations/stattests/
 * jensenshannon.py): shares over the union of categories, no empty-bin fill, then
 * scipy.spatial.distance.jensenshannon with its default natural logarithm (`base=None`; older
 * Evidently releases passed base 2). The distance lies in [0, √ln 2].
 */
import { WeftError } from '../../core/errors.js';
import { alignCounts, total, type CategoryCounts } from './category-counts.js';

/** @throws WeftError DATASET_INVALID when either sample is empty. */
export function jensenShannon(reference: CategoryCounts, current: CategoryCounts): number {
  const counts = alignCounts(reference, current);
  const referenceTotal = total(counts.reference);
  const currentTotal = total(counts.current);
  if (referenceTotal === 0 || currentTotal === 0) {
    throw new WeftError(
      'DATASET_INVALID',
      'failed to run the Jensen-Shannon test: a sample is empty',
    );
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < counts.reference.length; i++) {
    const p = counts.reference[i]! / referenceTotal;
    const q = counts.current[i]! / currentTotal;
    const middle = (p + q) / 2;
    left += relativeEntropy(p, middle);
    right += relativeEntropy(q, middle);
  }
  return Math.sqrt((left + right) / 2);
}

/** scipy.special.rel_entr: x ln(x/y), 0 when x is 0. */
function relativeEntropy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}
