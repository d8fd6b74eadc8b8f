/**
 * ml-logistic-regression -> ONNX.
 *
 * ml-logistic-regression trains one binary model per class k, without intercept, whose target is
 * 0 for class k and 1 for the rest: its score sigmoid(x w_k) is the chance that x is NOT k, and
 * predict picks the class with the lowest score (the first one on a tie). The graph does the same,
 * spelling the sigmoid out as ml.js computes it, 1 / (1 + exp(-z)): ONNX's Sigmoid kernel uses
 * another formula for z < 0, and near-ties between saturated scores (all 1.0) must fall as in ml.js.
 *
 *   features -> Cast(f64) -> MatMul(W [F,K]) -> z -> 1/(1+exp(-z)) -> ArgMin -> label [N]
 *                                                 z -> 1/(1+exp(z)) -> divide by row sum -> Cast(f32)
 *                                                                                 -> probabilities [N,K]
 *
 * ml.js has no probabilities; these are the one-vs-rest chances of each class, sigmoid(-z),
 * normalised to sum to 1. Their argmax is the label except on rows where ml.js's scores tie.
 */
import {
  type ModelJsonReader,
  type ModelOrJson,
  modelJsonReader,
  readModelJson,
} from './model-json.js';
import {
  doubleTensor,
  FLOAT,
  int64Tensor,
  intAttribute,
  node,
  type OnnxNode,
} from './onnx-builder.js';
import {
  checkFeatureCount,
  type ClassifierExportOptions,
  encodeClassifier,
  FEATURES,
  LABEL,
  PROBABILITIES,
  resolveClassifierOptions,
} from './signature.js';

/**
 * Exports a trained `LogisticRegression` from ml-logistic-regression (or its `toJSON()`), which
 * was trained on class indices 0..K-1, as an ONNX model with input FP32 [N, features] and outputs
 * `label` INT64 [N] and `probabilities` FP32 [N, K].
 *
 * @throws WeftError USAGE when the model is not such a model or the options do not fit it.
 */
export function exportLogisticRegression(
  model: ModelOrJson,
  options: ClassifierExportOptions,
): Uint8Array {
  const reader = modelJsonReader('logistic regression');
  const weights = readClassWeights(reader, model);
  const resolved = resolveClassifierOptions(reader, options, weights.length);
  if (resolved.classes.length !== weights.length) {
    throw reader.fail(
      `the model has ${weights.length} classes but classes names ${resolved.classes.length}`,
    );
  }
  const featureCount = weights[0]?.length ?? 0;
  checkFeatureCount(reader, resolved.featureNames, featureCount);
  // Column k of W holds class k's weights, so x W gives every class's score at once.
  const columns = Array.from({ length: featureCount }, (_, j) => weights.map((w) => w[j] ?? 0));
  return encodeClassifier(resolved, {
    name: 'logistic_regression_one_vs_rest',
    doc: 'One-vs-rest logistic regression (ml-logistic-regression), computed in float64.',
    initializers: [
      doubleTensor('weights', [featureCount, weights.length], columns.flat()),
      doubleTensor('one', [], [1]),
      int64Tensor('class_axis', [1], [1]),
    ],
    nodes: [
      node('MatMul', [FEATURES, 'weights'], ['z']),
      node('Neg', ['z'], ['minus_z']),
      ...reciprocalOfOnePlusExp('minus_z', 'rest_scores'),
      node(
        'ArgMin',
        ['rest_scores'],
        [LABEL],
        [intAttribute('axis', 1), intAttribute('keepdims', 0)],
      ),
      ...reciprocalOfOnePlusExp('z', 'class_scores'),
      node(
        'ReduceSum',
        ['class_scores', 'class_axis'],
        ['class_total'],
        [intAttribute('keepdims', 1)],
      ),
      node('Div', ['class_scores', 'class_total'], ['probabilities_f64']),
      node('Cast', ['probabilities_f64'], [PROBABILITIES], [intAttribute('to', FLOAT)]),
    ],
  });
}

/** output = 1 / (1 + exp(input)), in the order of operations ml.js uses for its sigmoid. */
function reciprocalOfOnePlusExp(input: string, output: string): OnnxNode[] {
  return [
    node('Exp', [input], [`exp_${input}`]),
    node('Add', [`exp_${input}`, 'one'], [`one_plus_exp_${input}`]),
    node('Reciprocal', [`one_plus_exp_${input}`], [output]),
  ];
}

/** One weight row per class, in class order, each as long as the feature count. */
function readClassWeights(reader: ModelJsonReader, model: ModelOrJson): number[][] {
  const json = readModelJson(reader, model, ['LogisticRegression']);
  const classifiers = reader.array(json.classifiers, 'classifiers');
  if (classifiers.length < 2)
    throw reader.fail('the model has fewer than 2 classes; train it first');
  const weights = classifiers.map((classifier, k) => {
    const path = `classifiers[${k}].weights`;
    const matrix = reader.matrix(reader.object(classifier, `classifiers[${k}]`).weights, path);
    if (matrix.length !== 1 || !matrix[0]) throw reader.fail(`${path} must be a single row`);
    return matrix[0];
  });
  const width = weights[0]?.length;
  if (weights.some((w) => w.length !== width)) {
    throw reader.fail('the classifiers have different numbers of weights');
  }
  return weights;
}
