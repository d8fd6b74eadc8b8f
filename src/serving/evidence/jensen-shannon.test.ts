import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countCategories } from './category-counts.js';
import { jensenShannon } from './jensen-shannon.js';

const counts = (record: Record<string, number>): Map<string, number> =>
  new Map(Object.entries(record));

describe('jensenShannon', () => {
  it('is 0 for the same proportions and √ln 2 for disjoint categories', () => {
    expect(jensenShannon(counts({ a: 1, b: 3 }), counts({ a: 2, b: 6 }))).toBeCloseTo(0, 15);
    expect(jensenShannon(counts({ a: 4 }), counts({ b: 1 }))).toBeCloseTo(Math.sqrt(Math.LN2), 15);
  });

  it('uses the natural logarithm', () => {
    // p = (1, 0), q = (.5, .5), m = (.75, .25): KL(p‖m) + KL(q‖m) = 1.5 ln(4/3).
    expect(jensenShannon(counts({ a: 2 }), counts({ a: 1, b: 1 }))).toBeCloseTo(
      Math.sqrt(0.75 * Math.log(4 / 3)),
      15,
    );
  });

  it('is symmetric and bounded by √ln 2', () => {
    const sample = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const forward = jensenShannon(countCategories(a), countCategories(b));
        expect(forward).toBeCloseTo(jensenShannon(countCategories(b), countCategories(a)), 14);
        expect(forward).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-15);
      }),
    );
  });
});
