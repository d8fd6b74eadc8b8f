/** Shared by the tests of this folder: arbitraries of predictions and an error check. */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import type { ClassificationPredictions, RegressionPredictions } from '../types.js';

interface ClassificationShape {
  minClasses?: number;
  maxClasses?: number;
  maxRows?: number;
  withProbabilities?: boolean;
}

/** Labels and (optionally) probabilities with ties likely: weights are small integers. */
export function classificationPredictions(
  shape: ClassificationShape = {},
): fc.Arbitrary<ClassificationPredictions> {
  const { minClasses = 2, maxClasses = 4, maxRows = 40, withProbabilities = true } = shape;
  return fc
    .tuple(fc.integer({ min: minClasses, max: maxClasses }), fc.integer({ min: 1, max: maxRows }))
    .chain(([classes, rows]) => {
      const label = fc.integer({ min: 0, max: classes - 1 });
      const weights = fc.array(fc.integer({ min: 0, max: 4 }), {
        minLength: classes,
        maxLength: classes,
      });
      return fc.record({
        actual: fc.array(label, { minLength: rows, maxLength: rows }),
        predicted: fc.array(label, { minLength: rows, maxLength: rows }),
        weights: withProbabilities
          ? fc.array(weights, { minLength: rows, maxLength: rows })
          : fc.constant(null),
        classes: fc.constant(Array.from({ length: classes }, (_, c) => `c${c}`)),
      });
    })
    .map(({ actual, predicted, weights, classes }) => ({
      task: 'classification',
      classes,
      actual: Int32Array.from(actual),
      predicted: Int32Array.from(predicted),
      probabilities: weights && Float64Array.from(weights.flatMap(normalise)),
    }));
}

function normalise(weights: number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w + 1, 0);
  return weights.map((w) => (w + 1) / total);
}

export function regressionPredictions(maxRows = 40): fc.Arbitrary<RegressionPredictions> {
  // Tenths: ties are likely, and no subnormal squares underflow to 0.
  const value = fc.integer({ min: -10_000, max: 10_000 }).map((tenths) => tenths / 10);
  return fc
    .integer({ min: 1, max: maxRows })
    .chain((rows) =>
      fc.tuple(
        fc.array(value, { minLength: rows, maxLength: rows }),
        fc.array(value, { minLength: rows, maxLength: rows }),
      ),
    )
    .map(([actual, predicted]) => ({
      task: 'regression',
      actual: Float64Array.from(actual),
      predicted: Float64Array.from(predicted),
    }));
}

/** A permutation of 0..length-1. */
export function permutationOf(length: number): fc.Arbitrary<number[]> {
  const indices = Array.from({ length }, (_, i) => i);
  return fc.shuffledSubarray(indices, { minLength: length, maxLength: length });
}

/** Asserts that `run` throws a WeftError with code USAGE. */
export function expectUsageError(run: () => unknown): void {
  let thrown: unknown = null;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isWeftError(thrown, 'USAGE'), `expected a USAGE error, got ${String(thrown)}`).toBe(true);
}
