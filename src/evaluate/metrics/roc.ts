/** ROC curves and their areas, computed as sklearn's `roc_curve` and `roc_auc_score` do. */
import type { ClassificationPredictions, RocPoint } from '../types.js';
import { isLabel, probabilityColumn } from './probabilities.js';

/** Reports plot the shape, not every threshold: longer curves are thinned to this many points. */
const MAX_CURVE_POINTS = 200;

interface ThresholdCounts {
  /** Distinct scores, highest first; rows scoring >= a threshold are predicted positive at it. */
  thresholds: number[];
  truePositives: number[];
  falsePositives: number[];
}

function countAtThresholds(scores: Float64Array, isPositive: Uint8Array): ThresholdCounts {
  const order = Int32Array.from(scores.keys());
  order.sort((a, b) => scores[b]! - scores[a]!);
  const counts: ThresholdCounts = { thresholds: [], truePositives: [], falsePositives: [] };
  let truePositives = 0;
  let falsePositives = 0;
  for (let i = 0; i < order.length; i++) {
    const row = order[i]!;
    if (isPositive[row]) truePositives++;
    else falsePositives++;
    const next = order[i + 1];
    // Tied scores share one threshold: they are predicted positive or negative together.
    if (next === undefined || scores[next] !== scores[row]) {
      counts.thresholds.push(scores[row]!);
      counts.truePositives.push(truePositives);
      counts.falsePositives.push(falsePositives);
    }
  }
  return counts;
}

/**
 * The full ROC curve, as sklearn `roc_curve(drop_intermediate=False)` (1.2): one point per
 * distinct score plus a first point (0, 0) at the highest score + 1. Null when the rows are all
 * positive or all negative, where one of the rates is undefined.
 */
export function rocCurve(scores: Float64Array, isPositive: Uint8Array): RocPoint[] | null {
  const { thresholds, truePositives, falsePositives } = countAtThresholds(scores, isPositive);
  const positives = truePositives.at(-1) ?? 0;
  const negatives = falsePositives.at(-1) ?? 0;
  if (positives === 0 || negatives === 0) return null;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: thresholds[0]! + 1 }];
  thresholds.forEach((threshold, i) =>
    points.push({
      fpr: falsePositives[i]! / negatives,
      tpr: truePositives[i]! / positives,
      threshold,
    }),
  );
  return points;
}

/** Trapezoidal area under a curve, as sklearn `auc`. */
export function areaUnder(points: RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const [left, right] = [points[i - 1]!, points[i]!];
    area += ((right.fpr - left.fpr) * (left.tpr + right.tpr)) / 2;
  }
  return area;
}

/** Keeps MAX_CURVE_POINTS evenly spaced points, the two ends included. */
export function thinCurve(points: RocPoint[]): RocPoint[] {
  if (points.length <= MAX_CURVE_POINTS) return points;
  const step = (points.length - 1) / (MAX_CURVE_POINTS - 1);
  return Array.from({ length: MAX_CURVE_POINTS }, (_, i) => points[Math.round(i * step)]!);
}

/**
 * Binary: the curve and area of `positiveClass`. Multiclass: one-vs-rest per class and the
 * unweighted mean of the areas (sklearn `multi_class='ovr', average='macro'`). A class absent
 * from the true labels has no one-vs-rest curve; it is left out of the mean, where sklearn would
 * refuse to score at all. Null area without probabilities or with one class present.
 */
export function computeRoc(
  p: ClassificationPredictions,
  positiveClass: number,
): { rocAuc: number | null; roc: Record<string, RocPoint[]> } {
  const { probabilities, classes } = p;
  if (!probabilities) return { rocAuc: null, roc: {} };
  const curveClasses = classes.length === 2 ? [positiveClass] : classes.map((_, c) => c);
  const roc: Record<string, RocPoint[]> = {};
  const areas: number[] = [];
  for (const c of curveClasses) {
    const scores = probabilityColumn(probabilities, classes.length, c);
    const curve = rocCurve(scores, isLabel(p.actual, c));
    if (!curve) continue;
    areas.push(areaUnder(curve));
    roc[classes[c]!] = thinCurve(curve);
  }
  const rocAuc =
    areas.length === 0 ? null : areas.reduce((sum, area) => sum + area, 0) / areas.length;
  return { rocAuc, roc };
}
