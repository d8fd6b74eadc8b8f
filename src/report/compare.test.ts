import { describe, expect, it } from 'vitest';
import { compareFairnessGaps, compareModelMetrics, compareValues } from './compare.js';
import { sampleClassificationMetrics, sampleClassificationReport } from './fixtures.js';
import { diffParams, formatParam } from './params-diff.js';

describe('compareValues', () => {
  it.each([
    ['accuracy', 0.9, 0.8, 'better'],
    ['roc_auc', 0.7, 0.8, 'worse'],
    ['r2', 0.5, 0.4, 'better'],
    ['log_loss', 0.3, 0.2, 'worse'],
    ['rmse', 10, 12, 'better'],
    ['mae', 3, 2, 'worse'],
    ['sex.demographic_parity_difference', 0.05, 0.1, 'better'],
    ['sex.demographic_parity_ratio', 0.9, 0.8, 'better'],
    ['sex.equalized_odds_difference', 0.2, 0.1, 'worse'],
    ['sex.metric_gap', 0.01, 0.02, 'better'],
  ] as const)('judges %s going from %d to %d as %s', (metric, candidate, baseline, change) => {
    expect(compareValues(metric, candidate, baseline)).toEqual({
      metric,
      candidate,
      baseline,
      delta: candidate - baseline,
      change,
    });
  });

  it('calls a change below floating-point noise unchanged', () => {
    expect(compareValues('accuracy', 0.1 + 0.2, 0.3).change).toBe('unchanged');
  });

  it('does not judge without a baseline value or for a metric with no better direction', () => {
    expect(compareValues('accuracy', 0.9, null)).toMatchObject({ delta: null, change: null });
    expect(compareValues('rows', 10, 12)).toMatchObject({ delta: -2, change: null });
  });
});

describe('compareModelMetrics', () => {
  it('names metrics as gates do and leaves a metric the baseline lacks without a delta', () => {
    const comparisons = compareModelMetrics(
      sampleClassificationMetrics(),
      sampleClassificationMetrics({ logLoss: null }),
    );
    expect(comparisons.map((c) => c.metric)).toEqual([
      'accuracy',
      'precision',
      'recall',
      'f1',
      'roc_auc',
      'log_loss',
    ]);
    expect(comparisons.find((c) => c.metric === 'log_loss')).toMatchObject({ delta: null });
  });
});

describe('compareFairnessGaps', () => {
  it('prefixes gaps with the attribute and keeps their intervals', () => {
    const [fairness] = sampleClassificationReport().candidate.fairness;
    const gaps = compareFairnessGaps(fairness!, undefined);
    expect(gaps.map((g) => g.metric)).toEqual([
      'sex.demographic_parity_difference',
      'sex.demographic_parity_ratio',
      'sex.equalized_odds_difference',
      'sex.metric_gap',
    ]);
    expect(gaps[0]?.estimate.interval).toEqual([0.0021, 0.1502]);
  });
});

describe('diffParams', () => {
  it('keeps params that differ or exist on one side only, sorted by key', () => {
    expect(
      diffParams(
        { b: 1, a: { x: 1, y: 2 }, c: '1', d: 'new' },
        { b: 1, a: { y: 2, x: 1 }, c: 1, e: 'old' },
      ),
    ).toEqual([
      { key: 'c', candidate: '1', baseline: 1 },
      { key: 'd', candidate: 'new' },
      { key: 'e', baseline: 'old' },
    ]);
  });

  it('writes values as JSON so a string and a number read apart', () => {
    expect([formatParam('1'), formatParam(1), formatParam(undefined)]).toEqual([
      '"1"',
      '1',
      'not set',
    ]);
  });
});
