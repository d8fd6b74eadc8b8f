/** Metrics of a regressor's predictions, with sklearn's definitions. */
import { WeftError } from '../../core/errors.js';
import type { RegressionMetrics, RegressionPredictions } from '../types.js';

/** @throws WeftError USAGE when the predictions are empty or of different lengths. */
export function computeRegressionMetrics(p: RegressionPredictions): RegressionMetrics {
  const rows = p.actual.length;
  if (rows === 0 || p.predicted.length !== rows) {
    const problem =
      rows === 0
        ? 'there are no rows'
        : `${rows} actual values but ${p.predicted.length} predicted`;
    throw new WeftError('USAGE', `failed to compute regression metrics: ${problem}`);
  }
  let squaredErrors = 0;
  let absoluteErrors = 0;
  for (let row = 0; row < rows; row++) {
    const error = p.actual[row]! - p.predicted[row]!;
    squaredErrors += error * error;
    absoluteErrors += Math.abs(error);
  }
  return {
    task: 'regression',
    rows,
    rmse: Math.sqrt(squaredErrors / rows),
    mae: absoluteErrors / rows,
    r2: rSquared(p.actual, squaredErrors),
  };
}

/**
 * sklearn `r2_score` (force_finite): 1 - SSE / total sum of squares; with a constant target
 * (no variance to explain) 1.0 for perfect predictions, else 0.0. sklearn returns NaN for a
 * single row; here a single row counts as a constant target, so the result is always a number.
 */
function rSquared(actual: Float64Array, squaredErrors: number): number {
  if (squaredErrors === 0) return 1;
  // Rounding can leave the mean a hair away from a constant target, so test constancy directly.
  if (actual.every((value) => value === actual[0])) return 0;
  const mean = actual.reduce((sum, value) => sum + value, 0) / actual.length;
  const variation = actual.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return 1 - squaredErrors / variation;
}
