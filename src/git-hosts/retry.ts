/**
 * When to try a Git host request again, and after how long. Pure: the HTTP client applies it.
 *
 * Three kinds of failure:
 * - refused: the host surely did not act (429, or GitHub's 403 with rate-limit headers), so any
 *   request may be repeated once the host's wait is over;
 * - ambiguous: a network error, a timeout or a 5xx, after which the host may or may not have
 *   acted; only requests that are safe to repeat are (reads, updates, statuses);
 * - final: any other 4xx; the request is wrong and will stay wrong.
 * Waits are exponential with full jitter (src/core/backoff.ts).
 */
import { backoffDelayMs, parseRetryAfterMs, type BackoffPolicy } from '../core/backoff.js';

export { backoffDelayMs };

export interface RetryPolicy extends BackoffPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** The longest wait a host may ask for (Retry-After, rate-limit reset) before weft gives up. */
  maxHostWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  attempts: 4,
  initialMs: 500,
  maxMs: 8_000,
  maxHostWaitMs: 60_000,
};

export type FailureKind = 'refused' | 'ambiguous' | 'final';

/** Only the headers a retry decision reads, so plain objects work in tests. */
export interface HeaderSource {
  get(name: string): string | null;
}

export function classifyStatus(status: number, headers: HeaderSource): FailureKind {
  if (status === 429) return 'refused';
  if (status === 403 && isRateLimited(headers)) return 'refused';
  if (status >= 500) return 'ambiguous';
  return 'final';
}

/** GitHub answers a spent rate limit with 403 and these headers (REST docs, "Rate limits"). */
function isRateLimited(headers: HeaderSource): boolean {
  return headers.get('x-ratelimit-remaining') === '0' || headers.get('retry-after') !== null;
}

/**
 * How long the host asked to wait, in milliseconds from `nowMs`: `Retry-After` (seconds or an
 * HTTP-date), else a rate-limit reset time in epoch seconds (GitHub `x-ratelimit-reset` when
 * `x-ratelimit-remaining` is 0, GitLab `RateLimit-Reset`). Undefined when the host said nothing.
 */
export function hostRequestedWaitMs(headers: HeaderSource, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfterMs(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  const reset =
    headers.get('x-ratelimit-remaining') === '0'
      ? headers.get('x-ratelimit-reset')
      : headers.get('ratelimit-reset');
  if (reset === null || !/^\d+$/.test(reset.trim())) return undefined;
  return Math.max(0, Number(reset) * 1000 - nowMs);
}

export type RetryDecision =
  | { waitMs: number }
  | { stop: 'final' | 'not-repeatable' | 'out-of-attempts' }
  | { stop: 'wait-too-long'; hostWaitMs: number };

/**
 * Whether to make attempt `attempt + 1`. `repeatable` says whether the request may be sent twice
 * (an ambiguous failure of a create is left to the caller, which looks before it creates again).
 */
export function planRetry(
  kind: FailureKind,
  attempt: number,
  repeatable: boolean,
  hostWaitMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (kind === 'final') return { stop: 'final' };
  if (kind === 'ambiguous' && !repeatable) return { stop: 'not-repeatable' };
  if (attempt >= policy.attempts) return { stop: 'out-of-attempts' };
  if (hostWaitMs === undefined) return { waitMs: backoffDelayMs(attempt, policy, random) };
  if (hostWaitMs > policy.maxHostWaitMs) return { stop: 'wait-too-long', hostWaitMs };
  return { waitMs: hostWaitMs };
}
