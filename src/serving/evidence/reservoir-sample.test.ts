import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { ReservoirSample } from './reservoir-sample.js';

function fill(capacity: number, n: number, seed: number): ReservoirSample<number> {
  const reservoir = new ReservoirSample<number>(capacity, seed);
  for (let i = 0; i < n; i++) reservoir.offer(i, () => i);
  return reservoir;
}

describe('ReservoirSample', () => {
  it('never holds more than its capacity, and keeps everything while it fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.nat(200),
        fc.integer(),
        (capacity, n, seed) => {
          const reservoir = fill(capacity, n, seed);
          expect(reservoir.seen).toBe(n);
          expect(reservoir.size).toBe(Math.min(capacity, n));
          const kept = reservoir.sampleWithin(-Infinity, Infinity).map((item) => item.value);
          if (capacity >= n) expect(kept).toEqual(Array.from({ length: n }, (_, i) => i));
          expect(new Set(kept).size).toBe(kept.length);
        },
      ),
    );
  });

  it('keeps every item with the same probability, capacity / n', () => {
    const [capacity, n, runs] = [5, 20, 4000];
    const kept = new Array<number>(n).fill(0);
    for (let seed = 0; seed < runs; seed++) {
      for (const { value } of fill(capacity, n, seed).sampleWithin(0, n)) kept[value]!++;
    }
    // Expected 1000 each; a binomial standard deviation is about 27.
    for (const count of kept) expect(Math.abs(count - (runs * capacity) / n)).toBeLessThan(150);
  });

  it('builds only the items it keeps', () => {
    const reservoir = new ReservoirSample<number>(10, 1);
    let built = 0;
    for (let i = 0; i < 10_000; i++) reservoir.offer(i, () => ++built);
    expect(built).toBeLessThan(200);
  });

  it('returns the kept items inside an inclusive time window', () => {
    const reservoir = fill(100, 50, 1);
    expect(reservoir.sampleWithin(10, 19).map((item) => item.at)).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
  });

  it('is reproducible for a seed', () => {
    expect(fill(10, 1000, 7).sampleWithin(0, 1000)).toEqual(
      fill(10, 1000, 7).sampleWithin(0, 1000),
    );
    expect(fill(10, 1000, 7).sampleWithin(0, 1000)).not.toEqual(
      fill(10, 1000, 8).sampleWithin(0, 1000),
    );
  });

  it('rejects a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 2.5]) {
      let error: unknown;
      try {
        new ReservoirSample(capacity, 1);
      } catch (caught) {
        error = caught;
      }
      expect(isWeftError(error, 'USAGE')).toBe(true);
    }
  });
});
