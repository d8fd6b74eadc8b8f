import { describe, expect, it } from 'vitest';
import { compareMetrics, compareParams, describeDelta } from './compare.js';
import { sampleRunDetail, sampleStage } from './api.fixtures.js';
import { readEvaluation, readValidation } from './evaluation.js';

describe('comparing runs', () => {
  const run = (id: number, lr: number, accuracy: number | null) => ({
    run: sampleRunDetail(id, [
      sampleStage('train', [], ['model'], { params: { 'train.lr': lr, 'train.epochs': 100 } }),
    ]),
    metrics: accuracy === null ? [] : [{ file: 'metrics.json', key: 'accuracy', value: accuracy }],
  });

  it('lines up every metric and param, flagging those that differ', () => {
    const runs = [run(1, 0.1, 0.95), run(2, 0.05, 0.97), run(3, 0.1, null)];
    expect(compareMetrics(runs)).toEqual([
      { key: 'metrics.json: accuracy', values: [0.95, 0.97, null], differs: true },
    ]);
    expect(compareParams(runs)).toEqual([
      { key: 'train: train.epochs', values: ['100', '100', '100'], differs: false },
      { key: 'train: train.lr', values: ['0.1', '0.05', '0.1'], differs: true },
    ]);
    expect(describeDelta(0.97, 0.95)).toBe('+0.02');
    expect(
      compareParams(
        [run(1, 0.1, 1)].map((r) => ({
          ...r,
          run: {
            ...r.run,
            stages: [{ ...r.run.stages[0]!, params: { train: { lr: 0.1, layers: [2, 3] } } }],
          },
        })),
      ),
    ).toEqual([
      { key: 'train: train.layers', values: ['[2,3]'], differs: false },
      { key: 'train: train.lr', values: ['0.1'], differs: false },
    ]);
    expect(describeDelta(0.9, 0.95)).toBe('−0.05');
    expect(describeDelta(null, 0.95)).toBe('');
  });
});

describe('reading checks', () => {
  const check = (
    kind: 'evaluation' | 'validation',
    result: unknown,
    passed: boolean | null = null,
  ) => ({
    id: 1,
    name: 'penguins',
    version: 1,
    kind,
    datasetPath: 'data/eval.csv',
    datasetDigest: 'sha256:1',
    configDigest: 'sha256:2',
    passed,
    result,
    actor: 'ci',
    createdAt: '2026-11-27T10:00:00.000Z',
  });

  it('reads a ReportInput and an older bare list of gates alike', () => {
    const gate = {
      gate: 'accuracy >= 0.9',
      kind: 'min',
      metric: 'accuracy',
      passed: false,
      value: 0.8,
      threshold: 0.9,
      baseline: null,
      message: 'too low',
    };
    expect(
      readValidation(
        check(
          'validation',
          { validation: { passed: false, gates: [gate], baseline: null } },
          false,
        ),
      ),
    ).toMatchObject({
      passed: false,
      gates: [gate],
      candidate: null,
    });
    expect(
      readValidation(check('validation', { gates: [gate, { metric: 'x' }] }, true)),
    ).toMatchObject({ passed: true, gates: [gate] });
  });

  it('reads no evaluation from a result of another shape', () => {
    expect(readEvaluation(check('evaluation', { something: 'else' }))).toBeNull();
    expect(
      readEvaluation(
        check('evaluation', { metrics: { task: 'regression', rows: 3, rmse: 1, mae: 1, r2: 0 } }),
      ),
    ).toMatchObject({
      fairness: [],
      importance: null,
    });
  });
});
