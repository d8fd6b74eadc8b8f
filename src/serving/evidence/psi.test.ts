import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binEdges, psi } from './psi.js';
import { normalSample } from './test-support.js';

describe('psi', () => {
  it('is 0 for identical samples and well under 0.1 for two draws from one law', () => {
    const sample = normalSample(1000, 1);
    expect(psi(sample, sample)).toBe(0);
    expect(psi(sample, normalSample(1000, 2))).toBeLessThan(0.05);
  });

  it('passes 0.1 for a normal shifted by half a standard deviation', () => {
    expect(psi(normalSample(1000, 3), normalSample(1000, 4, 0.5))).toBeGreaterThan(0.1);
  });

  it('bins by value when the reference has at most 20 distinct values', () => {
    // Shares .5/.5 against .75/.25: .25 ln 1.5 + .25 ln 2.
    expect(psi([1, 1, 2, 2], [1, 1, 1, 2])).toBeCloseTo(0.25 * Math.log(3), 15);
  });

  it('fills an empty bin with 0.0001 so the logarithm stays finite', () => {
    expect(psi([1, 2], [1, 1])).toBeCloseTo(-0.5 * Math.log(0.5) + 0.4999 * Math.log(5000), 12);
  });

  it("spans both samples with Sturges' number of equal-width bins", () => {
    const edges = binEdges([0, 10], [5, 20]);
    // 4 values: ceil(log2(4) + 1) = 3 bins over [0, 20].
    expect([...edges]).toEqual([0, 20 / 3, 40 / 3, 20]);
    expect(binEdges(normalSample(1000, 5), normalSample(800, 6))).toHaveLength(13);
    expect([...binEdges([0, 10], [5, 20], 4)]).toEqual([0, 5, 10, 15, 20]);
  });

  it('is never negative, and 0 against itself', () => {
    const sample = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(psi(a, b)).toBeGreaterThanOrEqual(0);
        expect(psi(a, a)).toBe(0);
      }),
    );
  });
});
