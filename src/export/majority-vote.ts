/**
 * The vote of a random forest classifier, as ml-random-forest takes it: the mode of the trees'
 * predicted classes (ml-array-mode), where a tie goes to the class that reached the winning count
 * first, in tree order, not to the lowest class index. The graph replays that count:
 *
 *   votes [N,T] -> OneHot [N,T,K] -> CumSum over trees -> tally[t] = count of tree t's class
 *   after tree t -> the first t whose tally is the row's largest -> label = votes[t]
 *
 * Probabilities are the vote shares: each class's votes over the number of trees.
 */
import {
  floatTensor,
  INT64,
  int64Tensor,
  intAttribute,
  intsAttribute,
  node,
  type OnnxNode,
  type OnnxTensor,
  FLOAT,
} from './onnx-builder.js';

export interface MajorityVote {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
}

/** Nodes from `votes` (FP32 [N,T] class indices, one per tree) to `label` and `probabilities`. */
export function majorityVote(
  votes: string,
  classCount: number,
  outputs: { label: string; probabilities: string },
): MajorityVote {
  const axis = (value: number) => intAttribute('axis', value);
  const keepdims = (value: number) => intAttribute('keepdims', value);
  return {
    initializers: [
      int64Tensor('class_count', [], [classCount]),
      floatTensor('off_on', [2], [0, 1]),
      int64Tensor('tree_axis', [], [1]),
      int64Tensor('class_axis', [1], [2]),
      int64Tensor('flat', [1], [-1]),
    ],
    nodes: [
      node('Cast', [votes], ['vote_index'], [intAttribute('to', INT64)]),
      node('OneHot', ['vote_index', 'class_count', 'off_on'], ['ballots'], [axis(-1)]),
      node('CumSum', ['ballots', 'tree_axis'], ['running_counts']),
      node('Mul', ['running_counts', 'ballots'], ['own_running_counts']),
      node('ReduceSum', ['own_running_counts', 'class_axis'], ['tally'], [keepdims(0)]),
      node('ReduceMax', ['tally'], ['top_tally'], [intsAttribute('axes', [1]), keepdims(1)]),
      node('Equal', ['tally', 'top_tally'], ['at_top']),
      // ArgMax takes numbers, not booleans; it returns the first of equal maxima.
      node('Cast', ['at_top'], ['at_top_number'], [intAttribute('to', FLOAT)]),
      node('ArgMax', ['at_top_number'], ['deciding_tree'], [axis(1), keepdims(1)]),
      node('GatherElements', ['vote_index', 'deciding_tree'], ['label_column'], [axis(1)]),
      node('Reshape', ['label_column', 'flat'], [outputs.label]),
      node(
        'ReduceMean',
        ['ballots'],
        [outputs.probabilities],
        [intsAttribute('axes', [1]), keepdims(0)],
      ),
    ],
  };
}
