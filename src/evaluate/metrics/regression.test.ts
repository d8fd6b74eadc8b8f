import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegressionPredictions } from '../types.js';
import { computeRegressionMetrics } from './regression.js';
import { expectUsageError, regressionPredictions } from './test-support.js';

const predictions = (actual: number[], predicted: number[]): RegressionPredictions => ({
  task: 'regression',
  actual: Float64Array.from(actual),
  predicted: Float64Array.from(predicted),
});

describe('computeRegressionMetrics', () => {
  it('computes RMSE, MAE and R² (sklearn r2_score docstring example)', () => {
    const metrics = computeRegressionMetrics(predictions([3, -0.5, 2, 7], [2.5, 0, 2, 8]));
    expect(metrics).toMatchObject({ task: 'regression', rows: 4, mae: 0.5 });
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(metrics.r2).toBeCloseTo(0.9486081370449679, 12);
  });

  it('scores a constant target 1 when predicted exactly, else 0, as sklearn means to', () => {
    expect(computeRegressionMetrics(predictions([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])).r2).toBe(1);
    // The mean of three 0.1s is not 0.1 in floating point; sklearn then returns about -1e32.
    expect(computeRegressionMetrics(predictions([0.1, 0.1, 0.1], [0.1, 0.2, 0.1])).r2).toBe(0);
    expect(computeRegressionMetrics(predictions([4], [5])).r2).toBe(0);
  });

  it.each([
    ['no rows', predictions([], [])],
    ['mismatched lengths', predictions([1, 2], [1])],
  ])('rejects %s', (_, p) => {
    expectUsageError(() => computeRegressionMetrics(p));
  });

  it('keeps 0 <= MAE <= RMSE and R² <= 1', () => {
    fc.assert(
      fc.property(regressionPredictions(), (p) => {
        const { mae, rmse, r2 } = computeRegressionMetrics(p);
        expect(mae).toBeGreaterThanOrEqual(0);
        expect(rmse).toBeGreaterThanOrEqual(mae * (1 - 1e-12));
        expect(r2).toBeLessThanOrEqual(1);
      }),
    );
  });
});
