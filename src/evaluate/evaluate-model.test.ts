import { describe, expect, it } from 'vitest';
import { isWeftError } from '../core/errors.js';
import { exportLinearRegression } from '../export/index.js';
import type { ResolvedEvaluation } from '../spec/types.js';
import { readCsv } from './data/read-table.js';
import { evaluateModel } from './evaluate-model.js';

/** y = 2a - b + 1, exactly: a crafted model whose every prediction is known. */
const MODEL = exportLinearRegression(
  { name: 'multivariateLinearRegression', weights: [[2], [-1], [1]], intercept: true },
  { featureNames: ['a', 'b'] },
);

const EVALUATION: ResolvedEvaluation = {
  dataset: 'data.csv',
  label: 'y',
  sensitive: ['site'],
  importance: { repeats: 3, seed: 1 },
  bootstrap: { samples: 50, level: 0.9, seed: 2 },
};

function evaluate(csv: string, evaluation: Partial<ResolvedEvaluation> = {}) {
  return evaluateModel({
    model: { name: 'line', version: 1, digest: 'sha256:00' },
    bytes: MODEL,
    table: readCsv(Buffer.from(csv), 'data.csv'),
    datasetDigest: 'sha256:11',
    evaluation: { ...EVALUATION, ...evaluation },
  });
}

describe('evaluateModel on a crafted regression model', () => {
  // Site A: predictions exact. Site B: each label 2 above the prediction.
  const CSV = 'a,b,site,y\n1,0,A,3\n2,1,A,4\n0,0,B,3\n3,2,B,7\n';

  it('computes the metrics, the per-group RMSE gap and importance from what ONNX Runtime said', async () => {
    const result = await evaluate(CSV);
    expect(result.features).toEqual(['a', 'b']);
    expect(result.metrics).toMatchObject({ task: 'regression', rows: 4, rmse: Math.SQRT2, mae: 1 });
    // Labels 3, 4, 3, 7 (mean 4.25): 1 - 8 / 10.75.
    expect(result.metrics.task === 'regression' && result.metrics.r2).toBeCloseTo(
      1 - 8 / 10.75,
      12,
    );
    const [site] = result.fairness;
    expect(site?.groups.map((g) => [g.group, g.rows, g.selectionRate])).toEqual([
      ['A', 2, 3.5],
      ['B', 2, 3],
    ]);
    expect(site?.metricGap.value).toBe(2);
    expect(site?.equalizedOddsDifference).toBeNull();
    expect(result.importance?.scoring).toBe('r2');
    expect(result.importance?.features.map((f) => f.feature).sort()).toEqual(['a', 'b']);
    expect(result.timing.inferenceMs).toBeGreaterThan(0);
    expect(result.timing.totalMs).toBeGreaterThanOrEqual(result.timing.inferenceMs);
  });

  it('gives the same result for the same seeds', async () => {
    const [first, second] = [await evaluate(CSV), await evaluate(CSV)];
    expect(second.importance).toEqual(first.importance);
    expect(second.fairness).toEqual(first.fairness);
  });

  it('names the cell that is not a number, and the empty group', async () => {
    const notNumber = await evaluate('a,b,site,y\n1,x,A,3\n2,1,B,4\n').catch((e: unknown) => e);
    expect(isWeftError(notNumber, 'DATASET_INVALID')).toBe(true);
    expect(String(notNumber)).toContain(
      'dataset data.csv, column "b", row 1: expected a number, found "x"',
    );
    const nan = await evaluate('a,b,site,y\n1,NaN,A,3\n2,1,B,4\n').catch((e: unknown) => e);
    expect(String(nan)).toContain('column "b", row 1: expected a number, found "NaN"');
    const noGroup = await evaluate('a,b,site,y\n1,0,A,3\n2,1,,4\n').catch((e: unknown) => e);
    expect(String(noGroup)).toContain(
      'column "site", row 2: expected a group value, found an empty value',
    );
  });

  it('refuses a classifier task for a model without label or probabilities', async () => {
    const error = await evaluate(CSV, { task: 'classification' }).catch((e: unknown) => e);
    expect(isWeftError(error, 'MODEL_INVALID')).toBe(true);
    expect(String(error)).toContain('model line@1 cannot be evaluated: a classifier needs');
  });
});
