import { describe, expect, it } from 'vitest';
import { permutationImportance } from './permutation.js';

/** Feature `index` holds the row numbers, feature `constant` a constant. */
function columns(rows: number): Float32Array[] {
  return [Float32Array.from({ length: rows }, (_, i) => i), new Float32Array(rows).fill(3)];
}

/** Share of rows whose `index` feature still holds the row number: 1 until it is shuffled. */
async function rowsInPlace(cols: Float32Array[]): Promise<number> {
  const index = cols[0]!;
  return Promise.resolve(index.filter((value, row) => value === row).length / index.length);
}

describe('permutationImportance', () => {
  const input = {
    columns: columns(200),
    featureNames: ['index', 'constant'],
    score: rowsInPlace,
    repeats: 3,
    seed: 9,
    scoring: 'accuracy',
  };

  it('ranks the feature the score depends on first, and a constant feature at zero', async () => {
    const result = await permutationImportance(input);
    expect(result).toMatchObject({ scoring: 'accuracy', baseline: 1, repeats: 3, seed: 9 });
    expect(result.features.map((f) => f.feature)).toEqual(['index', 'constant']);
    const [index, constant] = result.features;
    expect(index!.drops).toHaveLength(3);
    expect(index!.mean).toBeGreaterThan(0.9);
    expect(constant).toEqual({ feature: 'constant', mean: 0, std: 0, drops: [0, 0, 0] });
  });

  it('is reproducible for a seed and leaves the input columns untouched', async () => {
    const before = input.columns.map((column) => [...column]);
    expect(await permutationImportance(input)).toEqual(await permutationImportance(input));
    expect(input.columns.map((column) => [...column])).toEqual(before);
  });

  it('reports the mean and population standard deviation of the drops', async () => {
    const scores = [1, 0.5, 0.7, 0.9, 0.9];
    const result = await permutationImportance({
      ...input,
      score: () => Promise.resolve(scores.shift()!),
      repeats: 2,
    });
    const [first, second] = result.features;
    expect(first!.feature).toBe('index');
    expect(first!.mean).toBeCloseTo(0.4, 12);
    expect(first!.std).toBeCloseTo(0.1, 12);
    expect(second!.mean).toBeCloseTo(0.1, 12);
    expect(second!.std).toBeCloseTo(0, 12);
  });
});

describe('permutationImportance input checks', () => {
  it('rejects names that do not match the columns, and zero repeats', async () => {
    const base = { columns: columns(4), score: rowsInPlace, seed: 1, scoring: 'accuracy' };
    for (const input of [
      { ...base, featureNames: ['index'], repeats: 1 },
      { ...base, featureNames: ['index', 'constant'], repeats: 0 },
    ]) {
      await expect(permutationImportance(input)).rejects.toMatchObject({ code: 'USAGE' });
    }
  });
});
