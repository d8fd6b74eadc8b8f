import { describe, expect, it } from 'vitest';
import type { ClassificationPredictions } from '../types.js';
import { layoutGroups, rowsOfGroup, selectRows } from './groups.js';

describe('layoutGroups', () => {
  it('sorts the values present and lists each group rows in row order', () => {
    const layout = layoutGroups(['m', 'f', 'm', 'x', 'f']);
    expect(layout.names).toEqual(['f', 'm', 'x']);
    expect([0, 1, 2].map((g) => [...rowsOfGroup(layout, g)])).toEqual([[1, 4], [0, 2], [3]]);
  });
});

describe('selectRows', () => {
  it('picks labels and probability rows together', () => {
    const p: ClassificationPredictions = {
      task: 'classification',
      classes: ['a', 'b'],
      actual: Int32Array.from([0, 1, 1]),
      predicted: Int32Array.from([1, 1, 0]),
      probabilities: Float64Array.from([0.4, 0.6, 0.2, 0.8, 0.9, 0.1]),
    };
    const subset = selectRows(p, Int32Array.from([2, 0]));
    expect([...subset.actual, ...subset.predicted]).toEqual([1, 0, 0, 1]);
    expect([...subset.probabilities!]).toEqual([0.9, 0.1, 0.4, 0.6]);
  });
});
