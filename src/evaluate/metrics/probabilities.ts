/** Readings of the row-major probability matrix of a classifier (rows x classes). */
import type { ClassificationPredictions } from '../types.js';

/**
 * sklearn 1.2 changed `log_loss`'s default `eps` from 1e-15 to 'auto', the float64 machine
 * epsilon (2.2e-16): it clips to [eps, 1 - eps], then renormalises each row. Matches 1.2.1.
 */
const LOG_LOSS_EPSILON = Number.EPSILON;

/** Probabilities of class `column` for every row. */
export function probabilityColumn(
  probabilities: Float64Array,
  classes: number,
  column: number,
): Float64Array {
  const rows = probabilities.length / classes;
  const values = new Float64Array(rows);
  for (let row = 0; row < rows; row++) values[row] = probabilities[row * classes + column]!;
  return values;
}

/** Per row, the class with the highest probability (the first one on ties) and that probability. */
export function topClasses(
  probabilities: Float64Array,
  classes: number,
): { classes: Int32Array; confidences: Float64Array } {
  const rows = probabilities.length / classes;
  const top = new Int32Array(rows);
  const confidences = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (probabilities[row * classes + c]! > probabilities[row * classes + best]!) best = c;
    }
    top[row] = best;
    confidences[row] = probabilities[row * classes + best]!;
  }
  return { classes: top, confidences };
}

/** Mean negative log-likelihood of the true classes, as sklearn `log_loss(labels=all classes)`. */
export function logLoss(p: ClassificationPredictions & { probabilities: Float64Array }): number {
  const classes = p.classes.length;
  let total = 0;
  for (let row = 0; row < p.actual.length; row++) {
    let rowSum = 0;
    for (let c = 0; c < classes; c++) rowSum += clipForLog(p.probabilities[row * classes + c]!);
    const truth = clipForLog(p.probabilities[row * classes + p.actual[row]!]!);
    total -= Math.log(truth / rowSum);
  }
  return total / p.actual.length;
}

function clipForLog(probability: number): number {
  return Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probability));
}

/** 1 where the row's label is `label`, else 0: the one-vs-rest truth for that class. */
export function isLabel(labels: Int32Array, label: number): Uint8Array {
  const matches = new Uint8Array(labels.length);
  for (let row = 0; row < labels.length; row++) matches[row] = labels[row] === label ? 1 : 0;
  return matches;
}
