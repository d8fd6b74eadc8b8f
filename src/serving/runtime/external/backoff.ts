/** How long to wait before starting a runtime process again after it died or failed to start. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** A process that served this long before dying counts as healthy: the next wait is `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({
  initialMs: 200,
  maxMs: 10_000,
  factor: 2,
  resetAfterMs: 30_000,
});

/**
 * The wait before the next start: `initialMs` for the first restart or after a healthy run,
 * otherwise the previous wait times `factor`, never more than `maxMs`.
 *
 * @param previousMs the wait before the start that has just ended; undefined if none yet
 * @param servedMs how long the process that just ended was ready (0 for a failed start)
 */
export function nextBackoffDelay(
  policy: BackoffPolicy,
  previousMs: number | undefined,
  servedMs: number,
): number {
  const isFresh = previousMs === undefined || servedMs >= policy.resetAfterMs;
  return Math.min(isFresh ? policy.initialMs : previousMs * policy.factor, policy.maxMs);
}
