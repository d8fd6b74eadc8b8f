import { describe, expect, it } from 'vitest';
import { clampRunLimit } from './run-queries.js';

describe('clampRunLimit', () => {
  it.each([
    [undefined, 50],
    [Number.NaN, 50],
    [10, 10],
    [2.7, 2],
    [0, 1],
    [-5, 1],
    [1000, 1000],
    [5000, 1000],
  ])('turns a requested page size of %s into %s', (requested, expected) => {
    expect(clampRunLimit(requested)).toBe(expected);
  });
});
