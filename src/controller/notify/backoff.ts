/**
 * When to try a delivery again: exponential backoff with full jitter (src/core/backoff.ts), on
 * the statuses worth another attempt.
 */
import type { BackoffPolicy } from '../../core/backoff.js';

export { backoffDelayMs, parseRetryAfterMs } from '../../core/backoff.js';

export interface RetryPolicy extends BackoffPolicy {
  /** Total attempts, the first included. */
  attempts: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  attempts: 5,
  initialMs: 500,
  maxMs: 30_000,
};

/**
 * Status codes worth another attempt: rate limited, or a server-side failure. Other 4xx (and
 * 3xx, as redirects are not followed) mean the request itself is wrong and will stay wrong.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
