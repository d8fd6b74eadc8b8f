import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { countCategories } from './category-counts.js';
import { chiSquared } from './chi-squared.js';

const counts = (record: Record<string, number>): Map<string, number> =>
  new Map(Object.entries(record));

describe('chiSquared', () => {
  it('expects the reference proportions at the current total', () => {
    // Expected 50/50 of 100: (20² + 20²) / 50 = 16 on 1 degree of freedom.
    const result = chiSquared(counts({ a: 50, b: 50 }), counts({ a: 30, b: 70 }));
    expect(result.statistic).toBeCloseTo(16, 12);
    expect(result.pValue).toBeCloseTo(6.334248366623988e-5, 15);
  });

  it('finds nothing when the proportions are the same at another total', () => {
    const result = chiSquared(counts({ a: 10, b: 20, c: 30 }), counts({ a: 2, b: 4, c: 6 }));
    expect(result.statistic).toBeCloseTo(0, 12);
    expect(result.pValue).toBeCloseTo(1, 12);
  });

  it('is infinite, p 0, for a category the reference never saw', () => {
    expect(chiSquared(counts({ a: 5 }), counts({ a: 4, b: 1 }))).toEqual({
      statistic: Infinity,
      pValue: 0,
    });
  });

  it('has nothing to test with a single category', () => {
    expect(chiSquared(countCategories(['x', 'x']), countCategories(['x']))).toEqual({
      statistic: 0,
      pValue: 1,
    });
  });

  it('rejects an empty sample', () => {
    let error: unknown;
    try {
      chiSquared(counts({}), counts({ a: 1 }));
    } catch (caught) {
      error = caught;
    }
    expect(isWeftError(error, 'DATASET_INVALID')).toBe(true);
  });
});
