import { describe, expect, it } from 'vitest';
import { sampleClassificationReport, sampleRegressionReport } from './fixtures.js';
import { renderJson } from './json.js';

describe('renderJson', () => {
  it('starts with schemaVersion 1 and the verdict, in a fixed key order', () => {
    const report = JSON.parse(renderJson(sampleClassificationReport())) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'schemaVersion',
      'passed',
      'model',
      'baseline',
      'validatedAt',
      'commit',
      'dataset',
      'label',
      'gates',
      'metrics',
      'baselineMetrics',
      'deltas',
      'fairness',
      'importance',
      'paramChanges',
      'lineage',
      'timing',
      'evaluatedAt',
    ]);
    expect(report).toMatchObject({ schemaVersion: 1, passed: false });
  });

  it('has deltas for model metrics and fairness gaps, named as gates name them', () => {
    const { deltas } = JSON.parse(renderJson(sampleClassificationReport())) as {
      deltas: Array<{ metric: string; delta: number | null; change: string | null }>;
    };
    expect(deltas.find((d) => d.metric === 'accuracy')).toEqual({
      metric: 'accuracy',
      candidate: 0.91,
      baseline: 0.93,
      delta: 0.91 - 0.93,
      change: 'worse',
    });
    expect(deltas.find((d) => d.metric === 'sex.demographic_parity_difference')?.change).toBe(
      'better',
    );
  });

  it('has the gates, param changes and lineage as given', () => {
    const input = sampleClassificationReport();
    const report = JSON.parse(renderJson(input)) as Record<string, unknown>;
    expect(report.gates).toEqual(input.validation.gates);
    expect(report.paramChanges).toEqual([
      { key: 'train.l2', baseline: 0.001 },
      { key: 'train.lr', baseline: 0.1, candidate: 0.01 },
    ]);
    expect(report.lineage).toEqual(input.lineage);
  });

  it('writes null for what a regression without baseline lacks', () => {
    const report = JSON.parse(renderJson(sampleRegressionReport())) as Record<string, unknown>;
    expect(report).toMatchObject({ baseline: null, baselineMetrics: null, paramChanges: null });
  });

  it('gives the same bytes whatever order nested keys arrived in', () => {
    const input = sampleClassificationReport();
    const shuffled = sampleClassificationReport();
    shuffled.candidate.metrics = Object.fromEntries(
      Object.entries(shuffled.candidate.metrics).reverse(),
    ) as typeof shuffled.candidate.metrics;
    shuffled.validation.gates = shuffled.validation.gates.map(
      (gate) => Object.fromEntries(Object.entries(gate).reverse()) as typeof gate,
    );
    expect(renderJson(shuffled)).toBe(renderJson(input));
    expect(renderJson(input)).toMatch(/^\{\n {2}"schemaVersion": 1,\n/);
    expect(renderJson(input).endsWith('}\n')).toBe(true);
  });
});
