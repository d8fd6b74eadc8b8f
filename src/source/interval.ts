/**
 * The wait before the next poll: `intervalMs` moved by up to `jitter` of itself either way, so
 * many sources started together do not all hit their Git servers in the same second.
 * `random` returns a number in [0, 1), as Math.random does.
 */
export function nextDelay(intervalMs: number, jitter: number, random: () => number): number {
  return Math.round(intervalMs * (1 + jitter * (2 * random() - 1)));
}
