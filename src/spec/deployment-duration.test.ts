import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_MS, parseDuration } from './deployment-duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['90m', 5_400_000],
    ['1m1s1ms', 61_001],
    ['0s', 0],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '30 s', '1.5h', '-1s', '30sec', '1d', '1s1m', '1h1h', 's', 'ms', '1H'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('refuses a sum beyond safe integers', () => {
    expect(parseDuration(`${'9'.repeat(20)}h`)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('writes the shortest spelling, largest unit first', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(MAX_DURATION_MS)).toBe('168h');
    expect(formatDuration(3_600_001)).toBe('1h1ms');
  });

  it('refuses negative and fractional milliseconds', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});

describe('durations round-trip', () => {
  it('parseDuration reads back what formatDuration writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it('any spelling reads as the sum of its parts and formats to the same duration', () => {
    const part = fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, (h, m, s, ms) => {
        const text = [
          [h, 'h'],
          [m, 'm'],
          [s, 's'],
          [ms, 'ms'],
        ]
          .filter(([count]) => count !== undefined)
          .map(([count, unit]) => `${count}${unit}`)
          .join('');
        fc.pre(text !== '');
        const total = (h ?? 0) * 3_600_000 + (m ?? 0) * 60_000 + (s ?? 0) * 1_000 + (ms ?? 0);
        expect(parseDuration(text)).toBe(total);
        expect(parseDuration(formatDuration(total))).toBe(total);
      }),
    );
  });
});
