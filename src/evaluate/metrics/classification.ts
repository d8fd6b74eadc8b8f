/** Metrics of a classifier's predictions, with sklearn's definitions (`zero_division=0`). */
import { WeftError } from '../../core/errors.js';
import type { ClassificationMetrics, ClassificationPredictions, ClassMetrics } from '../types.js';
import { computeCalibration } from './calibration.js';
import { logLoss } from './probabilities.js';
import { computeRoc } from './roc.js';

export interface ClassificationOptions {
  /** Class index whose precision, recall, ROC and calibration a binary model reports; default 1. */
  positiveClass?: number;
  /** Uniform bins of the reliability diagram; default 10. */
  calibrationBins?: number;
}

/**
 * Binary models report precision, recall and F1 of the positive class; multiclass models the
 * unweighted mean over all classes, including classes absent from the data (sklearn
 * `average='macro', labels=all classes`).
 *
 * @throws WeftError USAGE when the predictions are empty or inconsistent.
 */
export function computeClassificationMetrics(
  p: ClassificationPredictions,
  options: ClassificationOptions = {},
): ClassificationMetrics {
  const positiveClass = options.positiveClass ?? 1;
  checkClassificationPredictions(p, positiveClass);
  const confusionMatrix = countConfusion(p);
  const perClass = confusionMatrix.map(scoreClass);
  const headline = p.classes.length === 2 ? perClass[positiveClass]! : macroAverage(perClass);
  const { rocAuc, roc } = computeRoc(p, positiveClass);
  const { probabilities } = p;
  return {
    task: 'classification',
    rows: p.actual.length,
    classes: [...p.classes],
    accuracy: confusionMatrix.reduce((sum, row, c) => sum + row[c]!, 0) / p.actual.length,
    precision: headline.precision,
    recall: headline.recall,
    f1: headline.f1,
    perClass: Object.fromEntries(p.classes.map((name, c) => [name, perClass[c]!])),
    rocAuc,
    logLoss: probabilities ? logLoss({ ...p, probabilities }) : null,
    confusionMatrix,
    calibration: computeCalibration(p, positiveClass, options.calibrationBins ?? 10),
    roc,
  };
}

function countConfusion(p: ClassificationPredictions): number[][] {
  const matrix = p.classes.map(() => p.classes.map(() => 0));
  for (let row = 0; row < p.actual.length; row++) matrix[p.actual[row]!]![p.predicted[row]!]!++;
  return matrix;
}

/** Precision, recall and F1 of class `c`, read off column and row c of the confusion matrix. */
function scoreClass(actualRow: number[], c: number, matrix: number[][]): ClassMetrics {
  const truePositives = actualRow[c]!;
  const support = actualRow.reduce((sum, count) => sum + count, 0);
  const predictedAs = matrix.reduce((sum, row) => sum + row[c]!, 0);
  const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
  const recall = support === 0 ? 0 : truePositives / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
}

function macroAverage(perClass: ClassMetrics[]): Omit<ClassMetrics, 'support'> {
  const mean = (pick: (m: ClassMetrics) => number): number =>
    perClass.reduce((sum, m) => sum + pick(m), 0) / perClass.length;
  return {
    precision: mean((m) => m.precision),
    recall: mean((m) => m.recall),
    f1: mean((m) => m.f1),
  };
}

function checkClassificationPredictions(p: ClassificationPredictions, positiveClass: number): void {
  const problem = findProblem(p, positiveClass);
  if (problem) throw new WeftError('USAGE', `failed to compute classification metrics: ${problem}`);
}

function findProblem(p: ClassificationPredictions, positiveClass: number): string | null {
  const classes = p.classes.length;
  const rows = p.actual.length;
  if (classes < 2) return `a classifier needs at least 2 classes, got ${classes}`;
  if (rows === 0) return 'there are no rows';
  if (p.predicted.length !== rows)
    return `${rows} actual labels but ${p.predicted.length} predicted`;
  if (p.probabilities && p.probabilities.length !== rows * classes) {
    return `${p.probabilities.length} probabilities for ${rows} rows x ${classes} classes`;
  }
  if (!Number.isInteger(positiveClass) || positiveClass < 0 || positiveClass >= classes) {
    return `positive class ${positiveClass} is not a class index below ${classes}`;
  }
  return findLabelOutside(p, classes);
}

function findLabelOutside(p: ClassificationPredictions, classes: number): string | null {
  for (const [name, labels] of [
    ['actual', p.actual],
    ['predicted', p.predicted],
  ] as const) {
    const bad = labels.find((label) => label < 0 || label >= classes);
    if (bad !== undefined) return `${name} label ${bad} is not a class index below ${classes}`;
  }
  return null;
}
