import type { ResolvedEvaluation } from '../spec/types.js';
import { prepareEvaluationData } from './data/evaluation-data.js';
import type { EvaluationData } from './data/evaluation-data.js';
import type { Table } from './data/read-table.js';
import {
  computeClassificationMetrics,
  computeFairness,
  computeRegressionMetrics,
  permutationImportance,
  scoreOf,
} from './metrics/index.js';
import { loadModel } from './onnx-model.js';
import { toPredictions } from './predictions.js';
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
}

/**
 * Runs the model through ONNX Runtime on the dataset and computes its metrics, the fairness of
 * each sensitive attribute and permutation importance.
 */
export async function evaluateModel(input: EvaluateModelInput): Promise<EvaluationResult> {
  const started = performance.now();
  const { evaluation } = input;
  const data = prepareEvaluationData(input.table, evaluation);
  const label = `${input.model.name}@${input.model.version}`;
  const model = await loadModel(input.bytes, label, data.features, evaluation.task);
  try {
    const predict = async (columns: Float32Array[]): Promise<Predictions> =>
      toPredictions(data, await model.predict(columns), model.task, {
        label: evaluation.label,
        classes: evaluation.classes ?? model.classes,
        model: label,
      });
    const predictions = await predict(data.columns);
    const positiveClass = positiveIndex(predictions, evaluation.positiveClass);
    const metrics = measure(predictions, positiveClass);
    const fairness = [...data.groups].map(([attribute, groups]) =>
      computeFairness(predictions, groups, attribute, {
        bootstrap: evaluation.bootstrap,
        ...(positiveClass === undefined ? {} : { positiveClass }),
      }),
    );
    const importance = await measureImportance(data, evaluation, metrics, async (columns) =>
      scoreOf(measure(await predict(columns), positiveClass)),
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
