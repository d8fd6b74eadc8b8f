import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
} from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt up to maxMs (random just below 1 reaches it)', () => {
    const almostOne = () => 0.999999;
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      backoffDelayMs(n, DEFAULT_RETRY_POLICY, almostOne),
    );
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999]);
  });

  it('draws every wait uniformly below the ceiling (full jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelayMs(attempt, DEFAULT_RETRY_POLICY, () => r);
          const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });
});

describe('isRetryableStatus', () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
    [301, false],
  ])('%d -> %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-02T03:04:05Z');

  it.each([
    [null, undefined],
    ['2', 2000],
    [' 0 ', 0],
    ['Thu, 02 Jan 2025 03:04:15 GMT', 10_000],
    ['Thu, 02 Jan 2025 03:04:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ])('reads %s as %s ms', (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });
});
