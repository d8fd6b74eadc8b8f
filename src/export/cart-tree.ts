/**
 * Reads the trees of ml-cart (the trees of ml-random-forest too) from their JSON into a flat,
 * preorder list of nodes, the layout ONNX tree ensembles use.
 *
 * An ml-cart node with both `left` and `right` is a split: a row goes left when
 * `row[splitColumn] < splitValue` (strictly less, so a value equal to the threshold, or NaN, goes
 * right). Any other node is a leaf whose `distribution` is the prediction: class shares as a
 * one-row matrix for classifiers, the mean target for regressions. A leaf may carry a
 * splitValue too (ml-cart records the best split before deciding not to make it); predict
 * ignores it, and so does this reader.
 */
import type { ModelJsonReader } from './model-json.js';

export interface BranchNode {
  kind: 'branch';
  /** The feature column the split reads, in the tree's own feature order. */
  column: number;
  threshold: number;
  /** Preorder ids of the children: `left` when feature < threshold, else `right`. */
  left: number;
  right: number;
}

export interface LeafNode<Leaf> {
  kind: 'leaf';
  value: Leaf;
}

export type TreeNode<Leaf> = BranchNode | LeafNode<Leaf>;

/** Nodes in preorder: the root is node 0, and a node's id is its index. */
export type FlatTree<Leaf> = TreeNode<Leaf>[];

/**
 * Flattens the tree under `root`; `readLeaf` turns a leaf's `distribution` into what the
 * exporter needs (it gets the JSON path to name in errors).
 */
export function readCartTree<Leaf>(
  reader: ModelJsonReader,
  root: unknown,
  path: string,
  readLeaf: (distribution: unknown, path: string) => Leaf,
): FlatTree<Leaf> {
  const nodes: FlatTree<Leaf> = [];
  const visit = (value: unknown, at: string): number => {
    const json = reader.object(value, at);
    const id = nodes.length;
    if (json.left === undefined || json.right === undefined) {
      nodes.push({ kind: 'leaf', value: readLeaf(json.distribution, `${at}.distribution`) });
      return id;
    }
    const branch: BranchNode = {
      kind: 'branch',
      column: reader.index(json.splitColumn, `${at}.splitColumn`),
      threshold: reader.number(json.splitValue, `${at}.splitValue`),
      left: -1,
      right: -1,
    };
    nodes.push(branch);
    branch.left = visit(json.left, `${at}.left`);
    branch.right = visit(json.right, `${at}.right`);
    return id;
  };
  visit(root, path);
  return nodes;
}

/** A classifier leaf's class shares; index i is class i, and absent classes have none. */
export function readClassShares(
  reader: ModelJsonReader,
  distribution: unknown,
  path: string,
): number[] {
  const matrix = reader.matrix(distribution, path);
  if (matrix.length !== 1 || !matrix[0]) throw reader.fail(`${path} must be a single row`);
  return matrix[0];
}

/** The class ml-cart predicts from shares: the first of the largest. */
export function predictedClass(shares: number[]): number {
  return shares.reduce((best, share, i) => (share > (shares[best] ?? -Infinity) ? i : best), 0);
}

/** Fails unless every split reads one of the `featureCount` named features. */
export function checkColumns<Leaf>(
  reader: ModelJsonReader,
  trees: FlatTree<Leaf>[],
  featureCount: number,
): void {
  const widest = trees
    .flat()
    .reduce((max, n) => (n.kind === 'branch' ? Math.max(max, n.column) : max), -1);
  if (widest >= featureCount) {
    throw reader.fail(
      `the model splits on feature column ${widest} but featureNames has ${featureCount}`,
    );
  }
}
