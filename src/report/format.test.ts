import { describe, expect, it } from 'vitest';
import { formatInterval, formatNumber, formatSigned } from './format.js';

describe('formatNumber', () => {
  it.each([
    [0.91, '0.9100'],
    [0.123456, '0.1235'],
    [29.3, '29.30'],
    [312.5, '312.5'],
    [1140.8, '1141'],
    [12345.6, '12346'],
    [-0.02, '-0.0200'],
    [0.00001234, '1.2e-5'],
    [42, '42'],
    [null, '—'],
    [Number.NaN, 'NaN'],
    [Infinity, '∞'],
  ])('writes %s as %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('formatSigned', () => {
  it('puts a plus before a rise, keeps the minus of a fall and writes no change as 0', () => {
    expect([
      formatSigned(0.0508),
      formatSigned(-0.02),
      formatSigned(0),
      formatSigned(null),
    ]).toEqual(['+0.0508', '-0.0200', '0', '—']);
  });
});

describe('formatInterval', () => {
  it('writes the bounds and the level, or a dash when there is no interval', () => {
    expect(formatInterval({ value: 0.1, interval: [0.05, 0.2], level: 0.95 })).toBe(
      '[0.0500, 0.2000] (95%)',
    );
    expect(formatInterval({ value: 0.1, interval: null, level: 0.9 })).toBe('—');
  });
});
