import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random, shuffleInPlace } from './random.js';

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws floats in [0, 1) and integers in [0, n)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1_000_000 }), (seed, n) => {
        const random = new Random(seed);
        const value = random.next();
        const integer = random.int(n);
        expect(value >= 0 && value < 1).toBe(true);
        expect(Number.isInteger(integer) && integer >= 0 && integer < n).toBe(true);
      }),
    );
  });

  it('spreads integers evenly', () => {
    const random = new Random(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[random.int(10)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('shuffleInPlace', () => {
  it('reorders without losing or duplicating values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (values, seed) => {
        const shuffled = Float64Array.from(values);
        shuffleInPlace(shuffled, new Random(seed));
        expect([...shuffled].sort((a, b) => a - b)).toEqual(values.sort((a, b) => a - b));
      }),
    );
  });
});
