/**
 * Exponential backoff with full jitter (each wait uniform in [0, min(max, initial * 2^n))), so
 * many clients failing together do not retry in step; and the wait a server asks for.
 */

export interface BackoffPolicy {
  initialMs: number;
  /** Ceiling of one wait. */
  maxMs: number;
}

/** The wait after failed attempt number `attempt` (1-based); `random` is uniform in [0, 1). */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
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
