/**
 * ml-cart decision trees -> ONNX.
 *
 *   classifier: features -> Cast(f64) -> TreeEnsembleRegressor (a leaf's class shares as K targets)
 *                 -> probabilities [N,K] -> ArgMax -> label [N]
 *   regression: features -> Cast(f64) -> TreeEnsembleRegressor (a leaf's mean) -> variable [N,1]
 *
 * ml-cart's predict takes the first of the largest class shares at the leaf; ArgMax does too.
 */
import { checkColumns, type FlatTree, readCartTree, readClassShares } from './cart-tree.js';
import { type ModelOrJson, modelJsonReader, readModelJson } from './model-json.js';
import { intAttribute, node } from './onnx-builder.js';
import {
  type ClassifierExportOptions,
  encodeClassifier,
  encodeRegressor,
  FEATURES,
  LABEL,
  PROBABILITIES,
  type RegressorExportOptions,
  resolveClassifierOptions,
  resolveRegressorOptions,
} from './signature.js';
import { type TargetWeight, treeEnsembleNode } from './tree-ensemble.js';

/**
 * Exports a trained ml-cart `DecisionTreeClassifier` (or its `toJSON()`), trained on class
 * indices, with outputs `label` INT64 [N] and `probabilities` FP32 [N, K]: the class shares of
 * the training rows in the leaf a row lands in.
 *
 * @throws WeftError USAGE when the model is not such a tree or the options do not fit it.
 */
export function exportDecisionTreeClassifier(
  model: ModelOrJson,
  options: ClassifierExportOptions,
): Uint8Array {
  const reader = modelJsonReader('decision tree classifier');
  const json = readModelJson(reader, model, ['DTClassifier']);
  const tree = readCartTree(reader, json.root, 'root', (d, path) =>
    readClassShares(reader, d, path),
  );
  const classCount = tree.reduce(
    (max, n) => (n.kind === 'leaf' ? Math.max(max, n.value.length) : max),
    0,
  );
  const resolved = resolveClassifierOptions(reader, options, classCount);
  checkColumns(reader, [tree], resolved.featureNames.length);
  const weighted: FlatTree<TargetWeight[]> = tree.map((n) =>
    n.kind === 'branch' ? n : { kind: 'leaf', value: allClasses(n.value, resolved.classes.length) },
  );
  return encodeClassifier(resolved, {
    name: 'decision_tree_classifier',
    doc: 'CART decision tree classifier (ml-cart), splits on float32 thresholds.',
    initializers: [],
    nodes: [
      treeEnsembleNode([weighted], {
        input: FEATURES,
        output: PROBABILITIES,
        targets: resolved.classes.length,
        aggregate: 'SUM',
      }),
      node(
        'ArgMax',
        [PROBABILITIES],
        [LABEL],
        [intAttribute('axis', 1), intAttribute('keepdims', 0)],
      ),
    ],
  });
}

/**
 * Exports a trained ml-cart `DecisionTreeRegression` (or its `toJSON()`) with output FP32 [N, 1]:
 * the mean target of the training rows in the leaf a row lands in.
 *
 * @throws WeftError USAGE when the model is not such a tree or the options do not fit it.
 */
export function exportDecisionTreeRegression(
  model: ModelOrJson,
  options: RegressorExportOptions,
): Uint8Array {
  const reader = modelJsonReader('decision tree regression');
  const resolved = resolveRegressorOptions(reader, options);
  const json = readModelJson(reader, model, ['DTRegression']);
  const tree = readCartTree(reader, json.root, 'root', (d, path): TargetWeight[] => [
    { target: 0, weight: reader.number(d, path) },
  ]);
  checkColumns(reader, [tree], resolved.featureNames.length);
  return encodeRegressor(resolved, 1, {
    name: 'decision_tree_regression',
    doc: 'CART decision tree regression (ml-cart), splits on float32 thresholds.',
    initializers: [],
    nodes: [
      treeEnsembleNode([tree], {
        input: FEATURES,
        output: resolved.outputName,
        targets: 1,
        aggregate: 'SUM',
      }),
    ],
  });
}

/** Every class gets a weight, zero when absent at the leaf: the row then always sums to 1. */
function allClasses(shares: number[], classCount: number): TargetWeight[] {
  return Array.from({ length: classCount }, (_, k) => ({ target: k, weight: shares[k] ?? 0 }));
}
