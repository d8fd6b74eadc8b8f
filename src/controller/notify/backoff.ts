/**
 * When to try a delivery again. Exponential backoff with full jitter (each wait uniform in
 * [0, min(max, initial * 2^n))) so that many targets failing together do not retry in step.
 */

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  attempts: 5,
  initialMs: 500,
  maxMs: 30_000,
};

/** The wait after failed attempt number `attempt` (1-based); `random` is uniform in [0, 1). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Status codes worth another attempt: rate limited, or a server-side failure. Other 4xx (and
 * 3xx, as redirects are not followed) mean the request itself is wrong and will stay wrong.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * A `Retry-After` header (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) in milliseconds from
 * `nowMs`, or undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // All three HTTP-date forms start with a day name; Date.parse alone would read "-1" as a year.
  const date = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
