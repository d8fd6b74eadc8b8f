import { describe, expect, it } from 'vitest';
import type { AnalysisCheck } from '../api/types.js';
import { boundOf, describeCheck, readChecks } from './checks.js';
import { sampleAudit, sampleDeployment, sampleDetail } from './api.fixtures.js';
import { padSingleX } from './chart-data.js';
import { appendSample, driftColumns, metricColumns } from './live-series.js';
import { describeSync } from './sync-status.js';
import { analysisHistory, buildTimeline, findLastRollback, observeRollout } from './timeline.js';

const AT = '2026-11-27T10:00:00.000Z';
const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => ({
  type: type as 'Ready',
  status,
  reason,
  message,
  lastTransitionTime: AT,
});
const rollout = {
  primary: { version: '1', digest: 'sha256:1' },
  canary: { version: '2', digest: 'sha256:2' },
  step: 1,
  failedChecks: 0,
  stepStartedAt: AT,
  revision: 'main@sha1:abc1234',
  lastChecks: [] as AnalysisCheck[],
};

describe('describeSync', () => {
  it.each([
    ['in-sync', 'in sync', [condition('Ready', 'True', 'Applied', 'serving penguins@1')], null],
    [
      'out-of-sync',
      'out of sync',
      [condition('Ready', 'False', 'VersionNotFound', 'no version 9')],
      null,
    ],
    [
      'drifted',
      'drifted',
      [
        condition('Ready', 'False', 'LiveChanged', 'changed by hand'),
        condition('Drifted', 'True', 'LiveChanged', 'changed by hand'),
      ],
      null,
    ],
    [
      'rolled-back',
      'rolled back',
      [
        condition('Ready', 'True', 'RolledBack', 'canary rolled back'),
        condition('RolloutFailed', 'True', 'RolledBack', 'canary rolled back'),
      ],
      null,
    ],
    [
      'progressing',
      'progressing',
      [condition('Ready', 'True', 'Applied', 'serving penguins@1')],
      rollout,
    ],
    [
      'suspended',
      'suspended',
      [condition('Ready', 'True', 'Suspended', 'reconciliation is suspended')],
      null,
    ],
    ['unknown', 'not reconciled yet', [], null],
  ] as const)('names %s in words', (state, label, conditions, inProgress) => {
    const sync = describeSync(
      sampleDeployment({ conditions: [...conditions], rollout: inProgress }),
    );
    expect(sync).toMatchObject({ state, label });
  });

  it('puts a rollout in progress before a rollback still on record', () => {
    const status = sampleDeployment({
      conditions: [
        condition('RolloutFailed', 'True', 'RolledBack', 'old'),
        condition('Reconciling', 'True', 'Progressing', 'canary 3 takes 25%'),
      ],
    });
    expect(describeSync(status)).toEqual({
      state: 'progressing',
      label: 'progressing',
      detail: 'canary 3 takes 25%',
    });
  });
});

describe('rollout checks', () => {
  it('takes the bound a check records', () => {
    const check = { name: 'shadowAgreement', value: 0.99, threshold: 0.99, passed: true };
    expect(boundOf({ ...check, bound: 'min' })).toBe('min');
    expect(boundOf({ ...check, name: 'custom', bound: 'max' })).toBe('max');
    expect(describeCheck({ ...check, bound: 'min' })).toBe(
      'shadowAgreement 0.99, needs ≥ 0.99: passed',
    );
  });

  it("reads an older check's bound from the verdict, and from the name when value equals threshold", () => {
    const check = (name: string, value: number, threshold: number, passed: boolean) => ({
      name,
      value,
      threshold,
      passed,
    });
    expect(boundOf(check('onlineAccuracy', 0, 0.9, false))).toBe('min');
    expect(boundOf(check('onlineAccuracy', 0.95, 0.9, true))).toBe('min');
    expect(boundOf(check('errorRate', 0.2, 0.05, false))).toBe('max');
    expect(boundOf(check('errorRate', 0.01, 0.05, true))).toBe('max');
    expect(boundOf(check('onlineAccuracy', 0.9, 0.9, true))).toBe('min');
    expect(boundOf(check('p99LatencyMs', 500, 500, true))).toBe('max');
    expect(describeCheck(check('onlineAccuracy', 0, 0.9, false))).toBe(
      'onlineAccuracy 0, needs ≥ 0.9: failed',
    );
  });

  it('keeps only well-formed checks from free JSON', () => {
    expect(
      readChecks([{ name: 'a', value: null, threshold: 1, passed: true }, { name: 'b' }, 3]),
    ).toEqual([{ name: 'a', value: null, threshold: 1, passed: true }]);
    expect(readChecks({ not: 'a list' })).toEqual([]);
  });
});

describe('rollout timeline', () => {
  const failing = { name: 'onlineAccuracy', value: 0, threshold: 0.9, passed: false };
  const audit = [
    sampleAudit(3, 'deployment.rollback', { version: '1', checks: [failing] }, { canary: '2' }),
    sampleAudit(2, 'deployment.canary', { canary: '2', weight: 25 }, { version: '1' }),
    sampleAudit(1, 'deployment.apply', { model: 'penguins', version: '1', digest: 'sha256:1' }),
  ];

  it('tells each audited action with its numbers, newest first', () => {
    const timeline = buildTimeline(audit, []);
    expect(timeline.map((e) => e.title)).toEqual([
      'rolled back version 2; version 1 serves',
      'canary version 2 started at 25%',
      'applied version 1',
    ]);
    expect(timeline[0]).toMatchObject({
      tone: 'bad',
      checks: [failing],
      detail: 'failed its analysis',
    });
    expect(findLastRollback(audit)?.checks).toEqual([failing]);
  });

  it('charts the analyses seen while polling and the one that decided the rollback, oldest first', () => {
    const passing = { ...failing, value: 1, passed: true };
    const observed = [
      {
        at: '2026-11-27T09:00:00.000Z',
        canary: '2',
        primary: '1',
        step: 0,
        failedChecks: 0,
        canaryWeight: 25,
        checks: [],
      },
      {
        at: '2026-11-27T09:00:02.000Z',
        canary: '2',
        primary: '1',
        step: 1,
        failedChecks: 0,
        canaryWeight: 50,
        checks: [passing],
      },
    ];
    expect(analysisHistory(audit, observed)).toEqual([
      { at: '2026-11-27T09:00:02.000Z', checks: [passing] },
      { at: audit[0]?.at, checks: [failing] },
    ]);
  });

  it('records a rollout step only when something about it changed', () => {
    const detail = sampleDetail({
      rollout,
      live: {
        versions: ['1', '2'],
        traffic: {
          weights: [
            { version: '1', weight: 75 },
            { version: '2', weight: 25 },
          ],
        },
      },
    });
    const first = observeRollout([], detail, new Date(AT));
    expect(first).toMatchObject([{ step: 1, canaryWeight: 25, canary: '2' }]);
    expect(observeRollout(first, detail, new Date(AT))).toBe(first);
    const checked = { ...detail, rollout: { ...rollout, lastChecks: [failing], failedChecks: 1 } };
    const second = observeRollout(first, checked, new Date(Date.parse(AT) + 2000));
    expect(second).toHaveLength(2);
    expect(buildTimeline([], second)[0]).toMatchObject({
      kind: 'step',
      title: 'canary version 2 at 25%, step 2',
      detail: '0 of 1 checks passed; 1 failed analyses so far',
      tone: 'bad',
    });
    expect(observeRollout(second, sampleDetail(), new Date())).toBe(second);
  });
});

describe('live series', () => {
  const evidence = (version: string, requests: number, accuracy: number | null) => ({
    model: 'penguins',
    version,
    window: { from: 0, to: 1 },
    requests: { requests, errors: 0, errorRate: 0, p99LatencyMs: 3 },
    onlineAccuracy: { correct: 0, total: 0, accuracy },
    inputDrift: {
      sampleSize: 5,
      features: {
        bill: {
          kind: 'numeric' as const,
          method: 'ks',
          statistic: 0.4,
          threshold: 0.05,
          drifted: true,
          referenceSize: 10,
          currentSize: 5,
        },
      },
      skipped: [],
    },
    predictionDrift: null,
  });

  it('keeps each answer as a point of served and canary, and drift per feature', () => {
    let samples = appendSample(
      [],
      { name: 'p', served: evidence('1', 10, 0.9), canary: null },
      new Date(1000),
    );
    samples = appendSample(
      samples,
      { name: 'p', served: evidence('1', 12, 0.95), canary: evidence('2', 4, 0.5) },
      new Date(3000),
    );
    expect(metricColumns(samples, (p) => p.requests)).toEqual([
      [1, 3],
      [10, 12],
      [null, 4],
    ]);
    expect(metricColumns(samples, (p) => p.accuracy)).toEqual([
      [1, 3],
      [0.9, 0.95],
      [null, 0.5],
    ]);
    expect(driftColumns(samples)).toEqual({
      features: ['bill'],
      data: [
        [1, 3],
        [0.4, 0.4],
      ],
    });
  });
});

describe('padSingleX', () => {
  it('gives a lone x empty neighbours, and leaves a spread alone', () => {
    expect(padSingleX([[100], [0.5]], true)).toEqual([
      [70, 100, 130],
      [null, 0.5, null],
    ]);
    expect(
      padSingleX(
        [
          [1, 1],
          [2, 3],
        ],
        false,
      ),
    ).toEqual([
      [0.5, 1, 1, 1.5],
      [null, 2, 3, null],
    ]);
    const spread: [number[], number[]] = [
      [1, 2],
      [3, 4],
    ];
    expect(padSingleX(spread, true)).toBe(spread);
    expect(padSingleX([[]], true)).toEqual([[]]);
  });
});
