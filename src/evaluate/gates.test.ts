import { describe, expect, it } from 'vitest';
import type { ResolvedGate } from '../spec/types.js';
import { judgeGates, metricValue, type BaselineLookup } from './gates.js';
import type { AttributeFairness, EvaluationResult, Estimate } from './types.js';

const at = { file: 'weft.yaml', line: 1, col: 1 };
const estimate = (value: number): Estimate => ({ value, interval: null, level: 0.95 });

function fairness(attribute: string, parity: number): AttributeFairness {
  return {
    attribute,
    positiveClass: '1',
    groups: [],
    demographicParityDifference: estimate(parity),
    demographicParityRatio: estimate(1 - parity),
    equalizedOddsDifference: estimate(parity / 2),
    metricGap: estimate(0),
  };
}

function evaluation(accuracy: number, logLoss: number, version = 1): EvaluationResult {
  return {
    model: { name: 'm', version, digest: 'sha256:00' },
    dataset: { path: 'd.csv', digest: 'sha256:11', rows: 10 },
    label: 'y',
    features: ['x'],
    metrics: {
      task: 'classification',
      rows: 10,
      classes: ['0', '1'],
      accuracy,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      perClass: {},
      rocAuc: null,
      logLoss,
      confusionMatrix: [],
      calibration: [],
      roc: {},
    },
    fairness: [fairness('sex', 0.1), fairness('age', 0.3)],
    importance: null,
    timing: { totalMs: 1, inferenceMs: 1 },
    evaluatedAt: '2026-11-26T00:00:00.000Z',
  };
}

const metricGate = (gate: Partial<Extract<ResolvedGate, { kind: 'metric' }>>): ResolvedGate => ({
  kind: 'metric',
  metric: 'accuracy',
  tolerance: 0,
  relative: false,
  location: at,
  ...gate,
});

const production = (accuracy: number, logLoss: number): Map<string, BaselineLookup> =>
  new Map([
    ['production', { ref: 'production', version: 3, result: evaluation(accuracy, logLoss, 3) }],
  ]);

describe('judgeGates', () => {
  it('passes and fails bounds, one verdict per condition', () => {
    const verdicts = judgeGates([metricGate({ min: 0.8, max: 0.85 })], {
      candidate: evaluation(0.9, 0.2),
      baselines: new Map(),
      reproducibility: null,
    });
    expect(verdicts.map((v) => [v.gate, v.passed, v.message])).toEqual([
      ['accuracy >= 0.8', true, 'accuracy is 0.9, at least 0.8'],
      ['accuracy <= 0.85', false, 'accuracy is 0.9, above 0.85'],
    ]);
  });

  it('compares with the baseline in the direction that is better, with absolute or relative tolerance', () => {
    const gates = [
      metricGate({ noWorseThan: 'production', tolerance: 0.02 }),
      metricGate({ metric: 'log_loss', noWorseThan: 'production', tolerance: 0.1, relative: true }),
    ];
    const judge = (accuracy: number, logLoss: number) =>
      judgeGates(gates, {
        candidate: evaluation(accuracy, logLoss),
        baselines: production(0.9, 0.5),
        reproducibility: null,
      }).map((v) => [v.passed, v.threshold]);
    expect(judge(0.88, 0.55)).toEqual([
      [true, 0.88],
      [true, 0.55],
    ]);
    expect(judge(0.879, 0.551)).toEqual([
      [false, 0.88],
      [false, 0.55],
    ]);
  });

  it('fails, never skips, a gate whose baseline or metric is missing, saying why', () => {
    const verdicts = judgeGates(
      [
        metricGate({ noWorseThan: 'staging' }),
        metricGate({ metric: 'rmse', min: 0 }),
        { kind: 'reproducible', location: at },
      ],
      {
        candidate: evaluation(0.9, 0.2),
        baselines: new Map([
          ['staging', { ref: 'staging', missing: 'model m has no alias "staging"' }],
        ]),
        reproducibility: null,
      },
    );
    expect(verdicts.map((v) => [v.passed, v.message])).toEqual([
      [false, 'model m has no alias "staging"'],
      [false, expect.stringContaining('rmse is not available')],
      [false, 'reproducibility was not checked'],
    ]);
  });

  it('passes a reproducible gate only when the rebuild was identical', () => {
    const judge = (identical: boolean) =>
      judgeGates([{ kind: 'reproducible', location: at }], {
        candidate: evaluation(0.9, 0.2),
        baselines: new Map(),
        reproducibility: { identical, message: identical ? 'bit-identical' : 'differs' },
      })[0]?.passed;
    expect([judge(true), judge(false)]).toEqual([true, false]);
  });
});

describe('metricValue', () => {
  it('reads a fairness gap of one attribute, or the worst one', () => {
    const result = evaluation(0.9, 0.2);
    expect(metricValue(result, 'sex.demographic_parity_difference')).toBe(0.1);
    expect(metricValue(result, 'demographic_parity_difference')).toBe(0.3);
    expect(metricValue(result, 'demographic_parity_ratio')).toBeCloseTo(0.7);
    expect(metricValue(result, 'roc_auc')).toBeNull();
  });
});
