import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextDelay } from './interval.js';

describe('nextDelay', () => {
  it('stays within the interval plus or minus its jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (intervalMs, jitter, r) => {
          const delay = nextDelay(intervalMs, jitter, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(intervalMs * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(Math.ceil(intervalMs * (1 + jitter)));
        },
      ),
    );
  });

  it('is the interval itself without jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (intervalMs, r) => {
          expect(nextDelay(intervalMs, 0, () => r)).toBe(intervalMs);
        },
      ),
    );
  });

  it('spreads over both sides of the interval', () => {
    expect(nextDelay(60_000, 0.1, () => 0)).toBe(54_000);
    expect(nextDelay(60_000, 0.1, () => 0.5)).toBe(60_000);
    expect(nextDelay(60_000, 0.1, () => 0.999_999)).toBe(66_000);
  });
});
