import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  classifyStatus,
  DEFAULT_RETRY_POLICY,
  hostRequestedWaitMs,
  planRetry,
} from './retry.js';

const headers = (values: Record<string, string>) => new Headers(values);
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('classifyStatus', () => {
  it.each([
    [429, {}, 'refused'],
    [403, { 'x-ratelimit-remaining': '0' }, 'refused'],
    [403, { 'retry-after': '60' }, 'refused'],
    [403, {}, 'final'],
    [401, {}, 'final'],
    [404, {}, 'final'],
    [422, {}, 'final'],
    [500, {}, 'ambiguous'],
    [502, {}, 'ambiguous'],
    [503, {}, 'ambiguous'],
  ] as const)('%d %j is %s', (status, values, kind) => {
    expect(classifyStatus(status, headers(values))).toBe(kind);
  });
});

describe('hostRequestedWaitMs', () => {
  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(hostRequestedWaitMs(headers({ 'retry-after': '7' }), NOW)).toBe(7000);
    const date = new Date(NOW + 30_000).toUTCString();
    expect(hostRequestedWaitMs(headers({ 'retry-after': date }), NOW)).toBe(30_000);
  });

  it('reads GitHub’s x-ratelimit-reset only when the limit is spent, and GitLab’s RateLimit-Reset', () => {
    const reset = String(NOW / 1000 + 42);
    expect(
      hostRequestedWaitMs(
        headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        NOW,
      ),
    ).toBe(42_000);
    expect(
      hostRequestedWaitMs(
        headers({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': reset }),
        NOW,
      ),
    ).toBeUndefined();
    expect(hostRequestedWaitMs(headers({ 'ratelimit-reset': reset }), NOW)).toBe(42_000);
  });

  it('is undefined for nothing or nonsense, and never negative', () => {
    expect(hostRequestedWaitMs(headers({}), NOW)).toBeUndefined();
    expect(hostRequestedWaitMs(headers({ 'retry-after': '-1' }), NOW)).toBeUndefined();
    expect(
      hostRequestedWaitMs(headers({ 'retry-after': new Date(NOW - 5000).toUTCString() }), NOW),
    ).toBe(0);
  });
});

describe('backoffDelayMs', () => {
  it('stays within [0, min(max, initial * 2^(attempt-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelayMs(attempt, DEFAULT_RETRY_POLICY, () => r);
          const ceiling = Math.min(
            DEFAULT_RETRY_POLICY.maxMs,
            DEFAULT_RETRY_POLICY.initialMs * 2 ** (attempt - 1),
          );
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });
});

describe('planRetry', () => {
  const plan = (
    kind: 'refused' | 'ambiguous' | 'final',
    attempt: number,
    repeatable: boolean,
    hostWaitMs?: number,
  ) => planRetry(kind, attempt, repeatable, hostWaitMs, DEFAULT_RETRY_POLICY, () => 0.5);

  it('never retries a final failure', () => {
    expect(plan('final', 1, true)).toEqual({ stop: 'final' });
  });

  it('repeats an ambiguous failure only for a request safe to repeat', () => {
    expect(plan('ambiguous', 1, true)).toEqual({ waitMs: 250 });
    expect(plan('ambiguous', 1, false)).toEqual({ stop: 'not-repeatable' });
  });

  it('retries a refusal even for a create, waiting what the host asked within the cap', () => {
    expect(plan('refused', 1, false, 5000)).toEqual({ waitMs: 5000 });
    expect(plan('refused', 1, false, 61_000)).toEqual({
      stop: 'wait-too-long',
      hostWaitMs: 61_000,
    });
  });

  it('stops after the last attempt', () => {
    expect(plan('refused', DEFAULT_RETRY_POLICY.attempts, true)).toEqual({
      stop: 'out-of-attempts',
    });
  });
});
