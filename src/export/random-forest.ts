/**
 * ml-random-forest -> ONNX.
 *
 * A forest is a list of ml-cart trees, each trained on a subset of the feature columns:
 * `indexes[t][c]` is the model's feature column that tree t sees as its column c.
 *
 *   classifier: features -> Cast(f64) -> TreeEnsembleRegressor (tree t's predicted class as
 *                 target t) -> votes [N,T] -> majority vote (see majority-vote.ts)
 *                 -> label [N], probabilities [N,K] (vote shares)
 *   regression, mean:   ... -> TreeEnsembleRegressor (AVERAGE of the leaf means) -> variable [N,1]
 *   regression, median: ... -> TreeEnsembleRegressor (tree t as target t) -> TopK smallest
 *                 -> the lower median, element floor((T-1)/2) as median-quickselect picks it
 */
import {
  checkColumns,
  type FlatTree,
  predictedClass,
  readCartTree,
  readClassShares,
} from './cart-tree.js';
import { majorityVote } from './majority-vote.js';
import {
  type JsonObject,
  type ModelJsonReader,
  type ModelOrJson,
  modelJsonReader,
  readModelJson,
} from './model-json.js';
import { int64Tensor, intAttribute, node, type OnnxNode } from './onnx-builder.js';
import {
  type ClassifierExportOptions,
  encodeClassifier,
  encodeRegressor,
  FEATURES,
  type GraphBody,
  LABEL,
  PROBABILITIES,
  type RegressorExportOptions,
  resolveClassifierOptions,
  resolveRegressorOptions,
} from './signature.js';
import { type TargetWeight, treeEnsembleNode } from './tree-ensemble.js';

/**
 * Exports a trained `RandomForestClassifier` (or its `toJSON()`), trained on class indices, with
 * outputs `label` INT64 [N], equal to ml.js's predict, and `probabilities` FP32 [N, K]: the share
 * of trees voting for each class (predictProbability, without its rounding to 6 decimals).
 *
 * @throws WeftError USAGE when the model is not such a forest or the options do not fit it.
 */
export function exportRandomForestClassifier(
  model: ModelOrJson,
  options: ClassifierExportOptions,
): Uint8Array {
  const reader = modelJsonReader('random forest classifier');
  const json = readModelJson(reader, model, ['RFClassifier']);
  const trees = readForest(reader, json, (d, path) =>
    predictedClass(readClassShares(reader, d, path)),
  );
  const classCount =
    1 + trees.flat().reduce((max, n) => (n.kind === 'leaf' ? Math.max(max, n.value) : max), 0);
  const resolved = resolveClassifierOptions(reader, options, classCount);
  checkColumns(reader, trees, resolved.featureNames.length);
  const vote = majorityVote('votes', resolved.classes.length, {
    label: LABEL,
    probabilities: PROBABILITIES,
  });
  return encodeClassifier(resolved, {
    name: 'random_forest_classifier',
    doc: `Random forest classifier (ml-random-forest) of ${trees.length} CART trees, majority vote.`,
    initializers: vote.initializers,
    nodes: [perTreeNode(trees), ...vote.nodes],
  });
}

/**
 * Exports a trained `RandomForestRegression` (or its `toJSON()`), selection method `mean` or
 * `median`, with output FP32 [N, 1].
 *
 * @throws WeftError USAGE when the model is not such a forest or the options do not fit it.
 */
export function exportRandomForestRegression(
  model: ModelOrJson,
  options: RegressorExportOptions,
): Uint8Array {
  const reader = modelJsonReader('random forest regression');
  const resolved = resolveRegressorOptions(reader, options);
  const json = readModelJson(reader, model, ['RFRegression']);
  const trees = readForest(reader, json, (d, path) => reader.number(d, path));
  checkColumns(reader, trees, resolved.featureNames.length);
  if (json.selectionMethod === 'mean') {
    return encodeRegressor(resolved, 1, meanOfTrees(trees, resolved.outputName));
  }
  if (json.selectionMethod === 'median') {
    return encodeRegressor(resolved, 1, medianOfTrees(trees, resolved.outputName));
  }
  const method = JSON.stringify(json.selectionMethod);
  throw reader.fail(`selectionMethod is ${method}, expected "mean" or "median"`);
}

function meanOfTrees(trees: FlatTree<number>[], output: string): GraphBody {
  const targets = asTargets(trees, () => 0);
  return {
    name: 'random_forest_regression',
    doc: `Random forest regression (ml-random-forest): mean of ${trees.length} CART trees.`,
    initializers: [],
    nodes: [
      treeEnsembleNode(targets, { input: FEATURES, output, targets: 1, aggregate: 'AVERAGE' }),
    ],
  };
}

function medianOfTrees(trees: FlatTree<number>[], output: string): GraphBody {
  const position = Math.floor((trees.length - 1) / 2);
  const topK = [intAttribute('axis', 1), intAttribute('largest', 0), intAttribute('sorted', 1)];
  return {
    name: 'random_forest_regression',
    doc: `Random forest regression (ml-random-forest): lower median of ${trees.length} CART trees.`,
    initializers: [
      int64Tensor('smallest_count', [1], [position + 1]),
      int64Tensor('median_position', [1], [position]),
    ],
    nodes: [
      perTreeNode(trees),
      node('TopK', ['votes', 'smallest_count'], ['smallest', 'smallest_trees'], topK),
      node('Gather', ['smallest', 'median_position'], [output], [intAttribute('axis', 1)]),
    ],
  };
}

/** Every tree's leaf value as its own target: FP32 `votes` [N, trees]. */
function perTreeNode(trees: FlatTree<number>[]): OnnxNode {
  const targets = asTargets(trees, (t) => t);
  const options = { input: FEATURES, output: 'votes', targets: trees.length };
  return treeEnsembleNode(targets, { ...options, aggregate: 'SUM' });
}

function asTargets(
  trees: FlatTree<number>[],
  target: (tree: number) => number,
): FlatTree<TargetWeight[]>[] {
  return trees.map((tree, t) =>
    tree.map((n) =>
      n.kind === 'branch' ? n : { kind: 'leaf', value: [{ target: target(t), weight: n.value }] },
    ),
  );
}

/** The forest's trees, their split columns mapped to the model's feature columns. */
function readForest(
  reader: ModelJsonReader,
  json: JsonObject,
  readLeaf: (distribution: unknown, path: string) => number,
): FlatTree<number>[] {
  const base = reader.object(json.baseModel, 'baseModel');
  const estimators = reader.array(base.estimators, 'baseModel.estimators');
  const indexes = reader.array(base.indexes, 'baseModel.indexes');
  if (estimators.length === 0) throw reader.fail('the forest has no trees; train it first');
  if (indexes.length !== estimators.length) {
    throw reader.fail('baseModel.indexes has not one entry per tree');
  }
  return estimators.map((estimator, t) => {
    const at = `baseModel.estimators[${t}]`;
    const tree = readCartTree(reader, reader.object(estimator, at).root, `${at}.root`, readLeaf);
    const columns = reader.array(indexes[t], `baseModel.indexes[${t}]`);
    return tree.map((n) =>
      n.kind === 'leaf'
        ? n
        : { ...n, column: reader.index(columns[n.column], `baseModel.indexes[${t}][${n.column}]`) },
    );
  });
}
