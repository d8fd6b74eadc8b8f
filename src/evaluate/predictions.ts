import { WeftError } from '../core/errors.js';
import { badCell, toNumber, toText } from './data/evaluation-data.js';
import type { EvaluationData } from './data/evaluation-data.js';
import type { ModelOutputs } from './onnx-model.js';
import type { Predictions } from './types.js';

/** The dataset's labels as the metrics need them, converted once for every pass of the model. */
export type TrueLabels =
  | { task: 'classification'; classes: string[]; actual: Int32Array }
  | { task: 'regression'; actual: Float64Array };

/**
 * Reads the label column against what the model said on its first pass. Classes come from the
 * spec, else the model's metadata, else they are the class indices themselves (labels 0..K-1).
 */
export function readTrueLabels(
  data: EvaluationData,
  outputs: ModelOutputs,
  task: 'classification' | 'regression',
  options: { label: string; classes: string[] | null; model: string },
): TrueLabels {
  if (task === 'regression') {
    const actual = Float64Array.from(data.labels, (value, row) => {
      const number = toNumber(value);
      if (!Number.isFinite(number)) throw badCell(data, options.label, row, value, 'a number');
      return number;
    });
    return { task, actual };
  }
  const width = outputs.scores ? outputs.width : 0;
  const classes = options.classes ?? indexClasses(Math.max(width, maxLabel(data, outputs) + 1));
  if (width > 0 && width !== classes.length) {
    throw new WeftError(
      'MODEL_INVALID',
      `model ${options.model} returns ${width} class probabilities but ${classes.length} classes are named (${classes.join(', ')})`,
    );
  }
  const index = new Map(classes.map((name, i) => [name, i]));
  const actual = Int32Array.from(data.labels, (value, row) => {
    const position = index.get(toText(value).trim());
    if (position === undefined) {
      throw badCell(data, options.label, row, value, `one of the classes ${classes.join(', ')}`);
    }
    return position;
  });
  requireTwoClasses(actual, classes, data.path, options.label);
  return { task, classes, actual };
}

/** Pairs one pass of the model with the true labels. */
export function toPredictions(
  labels: TrueLabels,
  outputs: ModelOutputs,
  model: string,
): Predictions {
  if (labels.task === 'regression') {
    const { scores, width } = outputs;
    if (!scores) throw new WeftError('MODEL_INVALID', `model ${model} returned no values`);
    return {
      ...labels,
      predicted: width === 1 ? scores : scores.filter((_, i) => i % width === 0),
    };
  }
  const predicted = outputs.label ?? argmaxRows(outputs.scores, outputs.width);
  return { ...labels, predicted, probabilities: outputs.scores };
}

function indexClasses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}

/** Without class names, labels must be the class indices the model predicts. */
function maxLabel(data: EvaluationData, outputs: ModelOutputs): number {
  let max = 0;
  for (const value of data.labels) max = Math.max(max, toNumber(value) || 0);
  for (const value of outputs.label ?? []) max = Math.max(max, value);
  return max;
}

function argmaxRows(scores: Float64Array | null, width: number): Int32Array {
  const rows = scores ? scores.length / width : 0;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < width; k++) {
      if ((scores?.[i * width + k] ?? 0) > (scores?.[i * width + best] ?? 0)) best = k;
    }
    out[i] = best;
  }
  return out;
}

function requireTwoClasses(
  actual: Int32Array,
  classes: string[],
  path: string,
  label: string,
): void {
  const first = actual[0];
  if (actual.every((value) => value === first)) {
    throw new WeftError(
      'DATASET_INVALID',
      `dataset ${path}: label column "${label}" holds one class only (${classes[first ?? 0]}); an evaluation needs at least two`,
    );
  }
}
