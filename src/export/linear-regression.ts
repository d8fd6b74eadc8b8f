/**
 * ml-regression-multivariate-linear -> ONNX.
 *
 *   features [N,F] -> Cast(f64) -> MatMul(coefficients [F,T]) -> Add(intercept [T]) -> Cast(f32)
 *                                                                        -> variable [N,T]
 *
 * The model's JSON holds `weights` as F rows of T coefficients, then, when it was fitted with an
 * intercept, one more row with the T intercepts (its predict adds that last row to x W).
 */
import {
  type ModelJsonReader,
  type ModelOrJson,
  modelJsonReader,
  readModelJson,
} from './model-json.js';
import { doubleTensor, FLOAT, intAttribute, node } from './onnx-builder.js';
import {
  checkFeatureCount,
  encodeRegressor,
  FEATURES,
  type RegressorExportOptions,
  resolveRegressorOptions,
} from './signature.js';

interface LinearWeights {
  coefficients: number[][];
  /** Null when the model was fitted without an intercept. */
  intercept: number[] | null;
}

/**
 * Exports a trained `MultivariateLinearRegression` (or its `toJSON()`) as an ONNX model with
 * input FP32 [N, features] and output FP32 [N, outputs].
 *
 * @throws WeftError USAGE when the model is not such a model or featureNames does not fit it.
 */
export function exportLinearRegression(
  model: ModelOrJson,
  options: RegressorExportOptions,
): Uint8Array {
  const reader = modelJsonReader('linear regression');
  const resolved = resolveRegressorOptions(reader, options);
  const { coefficients, intercept } = readLinearWeights(reader, model);
  checkFeatureCount(reader, resolved.featureNames, coefficients.length);
  const targets = coefficients[0]?.length ?? 0;
  const projected = intercept ? 'projected' : 'sum';
  return encodeRegressor(resolved, targets, {
    name: 'linear_regression',
    doc: 'Multivariate linear regression (ml-regression-multivariate-linear), computed in float64.',
    initializers: [
      doubleTensor('coefficients', [coefficients.length, targets], coefficients.flat()),
      ...(intercept ? [doubleTensor('intercept', [targets], intercept)] : []),
    ],
    nodes: [
      node('MatMul', [FEATURES, 'coefficients'], [projected]),
      ...(intercept ? [node('Add', [projected, 'intercept'], ['sum'])] : []),
      node('Cast', ['sum'], [resolved.outputName], [intAttribute('to', FLOAT)]),
    ],
  });
}

function readLinearWeights(reader: ModelJsonReader, model: ModelOrJson): LinearWeights {
  const json = readModelJson(reader, model, ['multivariateLinearRegression']);
  const weights = reader.matrix(json.weights, 'weights');
  if (typeof json.intercept !== 'boolean') throw reader.fail('intercept must be true or false');
  const featureCount = weights.length - (json.intercept ? 1 : 0);
  if (featureCount < 1) throw reader.fail('weights has no row per feature');
  return {
    coefficients: weights.slice(0, featureCount),
    intercept: json.intercept ? (weights[featureCount] ?? null) : null,
  };
}
