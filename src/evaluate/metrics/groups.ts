/** Rows split by the value a sensitive attribute has in them. */
import type { ClassificationPredictions, Predictions, RegressionPredictions } from '../types.js';

export interface GroupLayout {
  /** The values present, sorted. */
  names: string[];
  /** Row indices by group: group g owns rows[offsets[g]] to rows[offsets[g + 1] - 1], in order. */
  rows: Int32Array;
  offsets: Int32Array;
}

export function layoutGroups(values: readonly string[]): GroupLayout {
  const names = [...new Set(values)].sort();
  const indexOf = new Map(names.map((name, g) => [name, g]));
  const offsets = new Int32Array(names.length + 1);
  for (const value of values) offsets[indexOf.get(value)! + 1]!++;
  for (let g = 0; g < names.length; g++) offsets[g + 1]! += offsets[g]!;
  const next = offsets.slice(0, names.length);
  const rows = new Int32Array(values.length);
  values.forEach((value, row) => {
    rows[next[indexOf.get(value)!]!++] = row;
  });
  return { names, rows, offsets };
}

export function rowsOfGroup(layout: GroupLayout, group: number): Int32Array {
  return layout.rows.subarray(layout.offsets[group], layout.offsets[group + 1]);
}

/** The predictions of the given rows only, in that order. */
export function selectRows<P extends Predictions>(p: P, rows: Int32Array): P {
  if (p.task === 'regression') {
    const subset: RegressionPredictions = {
      task: 'regression',
      actual: Float64Array.from(rows, (row) => p.actual[row]!),
      predicted: Float64Array.from(rows, (row) => p.predicted[row]!),
    };
    return subset as P;
  }
  const subset: ClassificationPredictions = {
    task: 'classification',
    classes: p.classes,
    actual: Int32Array.from(rows, (row) => p.actual[row]!),
    predicted: Int32Array.from(rows, (row) => p.predicted[row]!),
    probabilities: p.probabilities && pickRows(p.probabilities, p.classes.length, rows),
  };
  return subset as P;
}

function pickRows(matrix: Float64Array, width: number, rows: Int32Array): Float64Array {
  const picked = new Float64Array(rows.length * width);
  rows.forEach((row, i) => picked.set(matrix.subarray(row * width, (row + 1) * width), i * width));
  return picked;
}
