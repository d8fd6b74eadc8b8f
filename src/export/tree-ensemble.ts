/**
 * Writes flat trees as one ai.onnx.ml TreeEnsembleRegressor node (opset 3). Every exported tree
 * model uses the regressor, classifiers included: its targets are plain FP32 scores, and the
 * class is then picked with ArgMax (first of the largest, as ml-cart) instead of through
 * TreeEnsembleClassifier's label rules, which special-case two classes and skip classes no leaf
 * scores.
 *
 * Splits compare the float32 features with thresholds rounded to float32, the grid the features
 * arrive on. ml-cart places a threshold on a feature value itself when equal values carry
 * different labels (3.6 | 3.6 splits at 3.6), and a row holding that value goes right; compared in
 * float64, float32(3.6) < 3.6 would send it left. So a row goes the way ml-cart sends it unless
 * its feature and the threshold differ but round to the same float32. Leaf values stay float64
 * (the `_as_tensor` attributes, with a float64 input), so sums and means of trees do not round
 * until the output.
 */
import type { FlatTree } from './cart-tree.js';
import {
  doubleTensor,
  intAttribute,
  intsAttribute,
  ML_DOMAIN,
  node,
  type OnnxNode,
  stringAttribute,
  stringsAttribute,
  tensorAttribute,
} from './onnx-builder.js';

/** What a leaf adds to the ensemble's targets. */
export interface TargetWeight {
  target: number;
  weight: number;
}

export interface TreeEnsembleOptions {
  input: string;
  output: string;
  targets: number;
  /** SUM adds the trees' leaf weights per target; AVERAGE divides that by the number of trees. */
  aggregate: 'SUM' | 'AVERAGE';
}

export function treeEnsembleNode(
  trees: FlatTree<TargetWeight[]>[],
  options: TreeEnsembleOptions,
): OnnxNode {
  const c = toColumns(trees);
  const doubles = (name: string, list: number[]) =>
    tensorAttribute(name, doubleTensor('', [list.length], list));
  return node(
    'TreeEnsembleRegressor',
    [options.input],
    [options.output],
    [
      intAttribute('n_targets', options.targets),
      stringAttribute('aggregate_function', options.aggregate),
      intsAttribute('nodes_treeids', c.treeIds),
      intsAttribute('nodes_nodeids', c.nodeIds),
      intsAttribute('nodes_featureids', c.featureIds),
      stringsAttribute('nodes_modes', c.modes),
      doubles('nodes_values_as_tensor', c.thresholds),
      intsAttribute('nodes_truenodeids', c.trueIds),
      intsAttribute('nodes_falsenodeids', c.falseIds),
      intsAttribute('target_treeids', c.leafTreeIds),
      intsAttribute('target_nodeids', c.leafNodeIds),
      intsAttribute('target_ids', c.targetIds),
      doubles('target_weights_as_tensor', c.weights),
    ],
    ML_DOMAIN,
  );
}

/** The ensemble attributes are parallel lists: one entry per node, one per leaf weight. */
interface EnsembleColumns {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  thresholds: number[];
  trueIds: number[];
  falseIds: number[];
  leafTreeIds: number[];
  leafNodeIds: number[];
  targetIds: number[];
  weights: number[];
}

function toColumns(trees: FlatTree<TargetWeight[]>[]): EnsembleColumns {
  const c: EnsembleColumns = {
    treeIds: [],
    nodeIds: [],
    featureIds: [],
    modes: [],
    thresholds: [],
    trueIds: [],
    falseIds: [],
    leafTreeIds: [],
    leafNodeIds: [],
    targetIds: [],
    weights: [],
  };
  trees.forEach((tree, treeId) =>
    tree.forEach((n, nodeId) => {
      const branch = n.kind === 'branch' ? n : null;
      c.treeIds.push(treeId);
      c.nodeIds.push(nodeId);
      c.featureIds.push(branch?.column ?? 0);
      // ml-cart sends a row left, the ONNX "true" branch, when feature < threshold.
      c.modes.push(branch ? 'BRANCH_LT' : 'LEAF');
      c.thresholds.push(Math.fround(branch?.threshold ?? 0));
      c.trueIds.push(branch?.left ?? 0);
      c.falseIds.push(branch?.right ?? 0);
      for (const { target, weight } of n.kind === 'leaf' ? n.value : []) {
        c.leafTreeIds.push(treeId);
        c.leafNodeIds.push(nodeId);
        c.targetIds.push(target);
        c.weights.push(weight);
      }
    }),
  );
  return c;
}
