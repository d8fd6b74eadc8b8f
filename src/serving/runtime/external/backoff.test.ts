import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nextBackoffDelay, type BackoffPolicy } from './backoff.js';

/** The waits before each of `failures` restarts in a row, none of them after a healthy run. */
function waitsFor(policy: BackoffPolicy, failures: number): number[] {
  const waits: number[] = [];
  let previous: number | undefined;
  for (let i = 0; i < failures; i++) {
    previous = nextBackoffDelay(policy, previous, 0);
    waits.push(previous);
  }
  return waits;
}

const policies = fc.record({
  initialMs: fc.integer({ min: 1, max: 1_000 }),
  maxMs: fc.integer({ min: 1, max: 60_000 }),
  factor: fc.double({ min: 1, max: 4, noNaN: true }),
  resetAfterMs: fc.integer({ min: 1, max: 60_000 }),
});

describe('nextBackoffDelay', () => {
  it('doubles from 200 ms up to 10 s by default', () => {
    expect(waitsFor(DEFAULT_BACKOFF, 8)).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it('grows by the factor and stays within [initial, max] for any policy', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 30 }), (policy, failures) => {
        const waits = waitsFor(policy, failures);
        const floor = Math.min(policy.initialMs, policy.maxMs);
        waits.forEach((wait, i) => {
          expect(wait).toBeGreaterThanOrEqual(floor);
          expect(wait).toBeLessThanOrEqual(policy.maxMs);
          if (i > 0)
            expect(wait).toBe(Math.min((waits[i - 1] as number) * policy.factor, policy.maxMs));
        });
      }),
    );
  });

  it('starts over after a process served for resetAfterMs', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 1_000_000 }), (policy, previous) => {
        const fresh = Math.min(policy.initialMs, policy.maxMs);
        expect(nextBackoffDelay(policy, previous, policy.resetAfterMs)).toBe(fresh);
        expect(nextBackoffDelay(policy, previous, policy.resetAfterMs - 1)).toBe(
          Math.min(previous * policy.factor, policy.maxMs),
        );
      }),
    );
  });
});
