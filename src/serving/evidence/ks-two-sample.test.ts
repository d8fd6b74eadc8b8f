import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { ksTwoSample } from './ks-two-sample.js';
import { normalSample } from './test-support.js';

/** Every split of the pooled values into sizes m and n: the exact permutation p-value of D. */
function bruteForcePValue(a: number[], b: number[]): number {
  const pooled = [...a, ...b];
  const observed = ksTwoSample(a, b).statistic;
  let atLeast = 0;
  let splits = 0;
  const visit = (start: number, chosen: number[]): void => {
    if (chosen.length === a.length) {
      const left = chosen.map((i) => pooled[i]!);
      const right = pooled.filter((_, i) => !chosen.includes(i));
      splits++;
      if (ksTwoSample(left, right).statistic >= observed - 1e-12) atLeast++;
      return;
    }
    for (let i = start; i < pooled.length; i++) visit(i + 1, [...chosen, i]);
  };
  visit(0, []);
  return atLeast / splits;
}

describe('ksTwoSample', () => {
  it('takes the largest gap between the empirical CDFs', () => {
    // ECDF gaps at 1..7: .25 .5 .55 .6 .4 .2 0
    const result = ksTwoSample([1, 2, 3, 4], [3, 4, 5, 6, 7]);
    expect(result).toEqual({ statistic: 0.6, pValue: 36 / 126, method: 'exact' });
  });

  it('counts ties once per value and measures the gap in either direction', () => {
    // Gaps at 1, 2, 3: a's ECDF 1/3, 2/3, 1; b's 0, 0, 1.
    expect(ksTwoSample([3, 3, 3], [1, 2, 3]).statistic).toBeCloseTo(2 / 3, 15);
    expect(ksTwoSample([1, 2, 3], [3, 3, 3]).statistic).toBeCloseTo(2 / 3, 15);
  });

  it('finds nothing between a sample and itself', () => {
    const sample = normalSample(200, 1);
    expect(ksTwoSample(sample, sample)).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
  });

  it('gives the exact permutation p-value for small samples of distinct values', () => {
    const distinct = fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), {
      minLength: 2,
      maxLength: 11,
    });
    fc.assert(
      fc.property(distinct, fc.integer({ min: 1, max: 10 }), (values, cut) => {
        const split = Math.min(cut, values.length - 1);
        const [a, b] = [values.slice(0, split), values.slice(split)];
        expect(ksTwoSample(a, b).pValue).toBeCloseTo(bruteForcePValue(a, b), 12);
      }),
      { numRuns: 60 },
    );
  });

  it('switches to the asymptotic distribution above 10 000 values', () => {
    const result = ksTwoSample(normalSample(10_001, 2), normalSample(500, 3, 0.5));
    expect(result.method).toBe('asymptotic');
    expect(result.pValue).toBeLessThan(1e-10);
  });

  it('rejects an empty sample and non-finite values', () => {
    for (const [a, b] of [
      [[], [1]],
      [[1], [Number.NaN]],
      [[Infinity, 1], [1]],
    ]) {
      let error: unknown;
      try {
        ksTwoSample(a!, b!);
      } catch (caught) {
        error = caught;
      }
      expect(isWeftError(error, 'DATASET_INVALID')).toBe(true);
    }
  });
});
