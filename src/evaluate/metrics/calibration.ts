/** Reliability diagrams, binned as sklearn `calibration_curve(strategy='uniform')` bins. */
import { WeftError } from '../../core/errors.js';
import type { CalibrationBin, ClassificationPredictions } from '../types.js';
import { isLabel, probabilityColumn, topClasses } from './probabilities.js';

/**
 * Binary: P(positive class) against whether the row was positive. Multiclass: the confidence
 * of the most probable class against whether that class was right, so the diagram reads the
 * same however many classes there are. Empty without probabilities.
 */
export function computeCalibration(
  p: ClassificationPredictions,
  positiveClass: number,
  bins: number,
): CalibrationBin[] {
  const { probabilities, classes } = p;
  if (!probabilities) return [];
  if (classes.length === 2) {
    const scores = probabilityColumn(probabilities, 2, positiveClass);
    return reliabilityBins(scores, isLabel(p.actual, positiveClass), bins);
  }
  const top = topClasses(probabilities, classes.length);
  const correct = top.classes.map((c, row) => (c === p.actual[row] ? 1 : 0));
  return reliabilityBins(top.confidences, Uint8Array.from(correct), bins);
}

/** `bins` uniform bins over [0, 1]; empty bins are left out, as sklearn does. */
export function reliabilityBins(
  scores: Float64Array,
  outcomes: Uint8Array,
  bins: number,
): CalibrationBin[] {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new WeftError(
      'USAGE',
      `failed to bin calibration: bins must be a whole number >= 1, got ${bins}`,
    );
  }
  // numpy's linspace(0, 1, bins + 1): i * (1 / bins), the last edge exactly 1.
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * (1 / bins)));
  const counts = new Float64Array(bins);
  const scoreSums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let row = 0; row < scores.length; row++) {
    const bin = binOf(scores[row]!, edges);
    counts[bin]!++;
    scoreSums[bin]! += scores[row]!;
    positives[bin]! += outcomes[row]!;
  }
  const result: CalibrationBin[] = [];
  counts.forEach((count, bin) => {
    if (count === 0) return;
    result.push({
      lower: edges[bin]!,
      upper: edges[bin + 1]!,
      count,
      meanPredicted: scoreSums[bin]! / count,
      fractionPositive: positives[bin]! / count,
    });
  });
  return result;
}

/** As sklearn's `searchsorted(inner edges, score)`: a score on an inner edge is binned below. */
function binOf(score: number, edges: number[]): number {
  const last = edges.length - 2;
  let bin = Math.min(last, Math.max(0, Math.floor(score * (last + 1))));
  while (bin > 0 && score <= edges[bin]!) bin--;
  while (bin < last && score > edges[bin + 1]!) bin++;
  return bin;
}
