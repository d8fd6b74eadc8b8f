import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from './fp16.js';

describe('toHalfBits', () => {
  // Expected bits from numpy's float64 -> float16 conversion (correctly rounded).
  it.each([
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [-2.5, 0xc100],
    [65504, 0x7bff],
    [65519.99, 0x7bff],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [3 * 2 ** -25, 0x0002],
    [1 + 3 * 2 ** -11, 0x3c02],
    [-0, 0x8000],
  ])('rounds %d to the nearest half, ties to even', (value, bits) => {
    expect(toHalfBits(value)).toBe(bits);
  });

  it('flushes values below half the smallest subnormal to zero', () => {
    expect(toHalfBits(2 ** -25)).toBe(0);
    expect(toHalfBits(1e-8)).toBe(0);
  });

  it('returns -1 for values that round to infinity and for non-finite values', () => {
    expect(toHalfBits(65520)).toBe(-1);
    expect(toHalfBits(-1e6)).toBe(-1);
    expect(toHalfBits(NaN)).toBe(-1);
    expect(toHalfBits(Infinity)).toBe(-1);
  });
});

describe('fromHalfBits', () => {
  it('inverts toHalfBits for every finite half', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromHalfBits(bits);
      if (Number.isFinite(value) && toHalfBits(value) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('reads infinities and NaN', () => {
    expect(fromHalfBits(0x7c00)).toBe(Infinity);
    expect(fromHalfBits(0xfc00)).toBe(-Infinity);
    expect(fromHalfBits(0x7e00)).toBeNaN();
  });
});
