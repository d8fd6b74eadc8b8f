/**
 * Durations as deploy files write them: whole numbers with units h, m, s, ms, largest first
 * (`30s`, `5m`, `1h30m`, `250ms`). The same pattern is the schema's `definitions.duration`, so
 * editors and weft accept exactly the same spellings.
 */
export const DURATION_PATTERN =
  /^(?=[0-9])(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

const UNITS = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;

/**
 * The longest duration a deploy file may set: 7 days. The controller waits with timers, and
 * Node fires a timer of more than 2^31-1 ms (about 24.8 days) at once instead of never.
 */
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** Milliseconds of `text`, or undefined when it is not a duration (or not a safe integer). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (match === null) return undefined;
  let ms = 0;
  for (const [index, [, factor]] of UNITS.entries()) {
    const count = match[index + 1];
    if (count !== undefined) ms += Number(count) * factor;
  }
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest spelling of `ms` that parseDuration reads back: 90_000 -> `1m30s`, 0 -> `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`expected a non-negative whole number of milliseconds, got ${ms}`);
  }
  let rest = ms;
  let text = '';
  for (const [unit, factor] of UNITS) {
    const count = Math.floor(rest / factor);
    rest -= count * factor;
    if (count > 0) text += `${count}${unit}`;
  }
  return text === '' ? '0s' : text;
}
