import type { ResolvedEvaluation } from '../spec/types.js';
import { prepareEvaluationData } from './data/evaluation-data.js';
import type { EvaluationData } from './data/evaluation-data.js';
import type { Table } from './data/read-table.js';
import {
  computeClassificationMetrics,
  computeFairness,
  computeRegressionMetrics,
  permutationImportance,
} from './metrics/index.js';
import { loadModel, type FeatureMatrix } from './onnx-model.js';
import { readTrueLabels, toPredictions } from './predictions.js';
import type {
  EvaluatedModel,
  EvaluationResult,
  Metrics,
  PermutationImportance,
  Predictions,
} from './types.js';

export interface EvaluateModelInput {
  model: EvaluatedModel;
  bytes: Uint8Array;
  table: Table;
  datasetDigest: string;
  evaluation: ResolvedEvaluation;
  /** When the evaluation began (performance.now()), if before this call: reading the data counts. */
  startedAt?: number;
}

/**
 * Runs the model through ONNX Runtime on the dataset and computes its metrics, the fairness of
 * each sensitive attribute and permutation importance.
 */
export async function evaluateModel(input: EvaluateModelInput): Promise<EvaluationResult> {
  const started = input.startedAt ?? performance.now();
  const { evaluation } = input;
  const data = prepareEvaluationData(input.table, evaluation);
  const name = `${input.model.name}@${input.model.version}`;
  const model = await loadModel(input.bytes, name, data.features, evaluation.task);
  try {
    const matrix = model.matrixFrom(data.columns);
    const outputs = await model.predict(matrix);
    const labels = readTrueLabels(data, outputs, model.task, {
      label: evaluation.label,
      classes: evaluation.classes ?? model.classes,
      model: name,
    });
    const predictions = toPredictions(labels, outputs, name);
    const positiveClass = positiveIndex(predictions, evaluation.positiveClass);
    const metrics = measure(predictions, positiveClass);
    const fairness = [...data.groups].map(([attribute, groups]) =>
      computeFairness(predictions, groups, attribute, {
        bootstrap: evaluation.bootstrap,
        ...(positiveClass === undefined ? {} : { positiveClass }),
      }),
    );
    const importance = await measureImportance(data, evaluation, metrics, (columns) =>
      withColumnsIn(matrix, data.columns, columns, async () =>
        score(toPredictions(labels, await model.predict(matrix, { predictionOnly: true }), name)),
      ),
    );
    return {
      model: input.model,
      dataset: { path: data.path, digest: input.datasetDigest, rows: data.rows },
      label: evaluation.label,
      features: data.features,
      metrics,
      fairness,
      importance,
      timing: { totalMs: performance.now() - started, inferenceMs: model.inferenceMs },
      evaluatedAt: new Date().toISOString(),
    };
  } finally {
    await model.release();
  }
}

/**
 * Runs `work` with the matrix holding `columns` where they differ from `original` (permutation
 * shuffles one column at a time), then puts the original values back: one column is written
 * per pass instead of the whole matrix.
 */
async function withColumnsIn<T>(
  matrix: FeatureMatrix,
  original: Float32Array[],
  columns: Float32Array[],
  work: () => Promise<T>,
): Promise<T> {
  const changed = columns.flatMap((column, j) => (column === original[j] ? [] : [j]));
  const write = (source: Float32Array[]): void => {
    for (const j of changed) writeColumn(matrix, source[j] as Float32Array, j, original.length);
  };
  write(columns);
  try {
    return await work();
  } finally {
    write(original);
  }
}

function writeColumn(matrix: FeatureMatrix, column: Float32Array, j: number, width: number): void {
  for (let i = 0; i < column.length; i++) matrix[i * width + j] = column[i] as number;
}

/** What permutation importance compares: accuracy, or R² for a regressor. */
function score(predictions: Predictions): number {
  if (predictions.task === 'regression') return computeRegressionMetrics(predictions).r2;
  const { actual, predicted } = predictions;
  let hits = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) hits++;
  return hits / actual.length;
}

function measure(predictions: Predictions, positiveClass: number | undefined): Metrics {
  if (predictions.task === 'regression') return computeRegressionMetrics(predictions);
  return computeClassificationMetrics(
    predictions,
    positiveClass === undefined ? {} : { positiveClass },
  );
}

function positiveIndex(predictions: Predictions, name: string | undefined): number | undefined {
  if (predictions.task === 'regression' || name === undefined) return undefined;
  const index = predictions.classes.indexOf(name);
  return index < 0 ? undefined : index;
}

async function measureImportance(
  data: EvaluationData,
  evaluation: ResolvedEvaluation,
  metrics: Metrics,
  score: (columns: Float32Array[]) => Promise<number>,
): Promise<PermutationImportance | null> {
  if (evaluation.importance === null) return null;
  return permutationImportance({
    columns: data.columns,
    featureNames: data.features,
    score,
    ...evaluation.importance,
    scoring: metrics.task === 'classification' ? 'accuracy' : 'r2',
  });
}
