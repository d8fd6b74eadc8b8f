/**
 * Report inputs for tests: a three-class classifier that fails one gate against its baseline,
 * and a regression that passes without one. Tests change only the fields they care about.
 */
import type {
  ClassificationMetrics,
  EvaluationResult,
  GroupMetrics,
  ReportInput,
  RegressionMetrics,
} from '../evaluate/types.js';

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;
const DIGEST_DATA = `sha256:${'d'.repeat(64)}`;

const PENGUIN_CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];

export function sampleClassificationMetrics(
  overrides: Partial<ClassificationMetrics> = {},
): ClassificationMetrics {
  return {
    task: 'classification',
    rows: 100,
    accuracy: 0.91,
    precision: 0.8912,
    recall: 0.8795,
    f1: 0.8847,
    classes: PENGUIN_CLASSES,
    perClass: {
      Adelie: { precision: 0.9302, recall: 0.9302, f1: 0.9302, support: 43 },
      Chinstrap: { precision: 0.8333, recall: 0.75, f1: 0.7895, support: 20 },
      Gentoo: { precision: 0.9231, recall: 0.973, f1: 0.9474, support: 37 },
    },
    rocAuc: 0.9612,
    logLoss: 0.3011,
    confusionMatrix: [
      [40, 2, 1],
      [3, 15, 2],
      [0, 1, 36],
    ],
    calibration: [
      { lower: 0.4, upper: 0.5, count: 6, meanPredicted: 0.46, fractionPositive: 0.5 },
      { lower: 0.6, upper: 0.7, count: 14, meanPredicted: 0.65, fractionPositive: 0.5714 },
      { lower: 0.8, upper: 0.9, count: 30, meanPredicted: 0.86, fractionPositive: 0.9 },
      { lower: 0.9, upper: 1, count: 50, meanPredicted: 0.96, fractionPositive: 0.98 },
    ],
    roc: Object.fromEntries(
      PENGUIN_CLASSES.map((name, c) => [
        name,
        [
          { fpr: 0, tpr: 0, threshold: Infinity },
          { fpr: 0.02 * (c + 1), tpr: 0.7 + 0.05 * c, threshold: 0.8 },
          { fpr: 0.2, tpr: 0.95, threshold: 0.4 },
          { fpr: 1, tpr: 1, threshold: 0 },
        ],
      ]),
    ),
    ...overrides,
  };
}

function sampleGroup(group: string, rows: number, accuracy: number, rates: number[]): GroupMetrics {
  const [selectionRate = 0, truePositiveRate = 0, falsePositiveRate = 0] = rates;
  return {
    group,
    rows,
    metrics: sampleClassificationMetrics({ rows, accuracy }),
    selectionRate,
    truePositiveRate,
    falsePositiveRate,
  };
}

function sampleEvaluation(
  version: number,
  metrics: ClassificationMetrics | RegressionMetrics,
): EvaluationResult {
  return {
    model: { name: 'penguins', version, digest: version === 3 ? DIGEST_A : DIGEST_B },
    dataset: { path: 'data/test.csv', digest: DIGEST_DATA, rows: metrics.rows },
    label: 'species',
    features: ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'],
    metrics,
    fairness: [],
    importance: null,
    timing: { totalMs: 1234.5, inferenceMs: 456.7 },
    evaluatedAt: '2026-03-04T05:06:07.890Z',
  };
}

const estimate = (value: number, lower: number, upper: number) => ({
  value,
  interval: [lower, upper] as [number, number],
  level: 0.95,
});

export function sampleClassificationReport(): ReportInput {
  const candidate = sampleEvaluation(3, sampleClassificationMetrics());
  candidate.fairness = [
    {
      attribute: 'sex',
      positiveClass: 'Adelie',
      groups: [
        sampleGroup('female', 48, 0.9375, [0.4375, 0.95, 0.0741]),
        sampleGroup('male', 52, 0.8846, [0.4231, 0.9048, 0.0645]),
      ],
      demographicParityDifference: estimate(0.0144, 0.0021, 0.1502),
      demographicParityRatio: estimate(0.967, 0.71, 0.995),
      equalizedOddsDifference: estimate(0.0452, 0.0103, 0.1807),
      metricGap: estimate(0.0529, 0.0088, 0.1611),
    },
  ];
  candidate.importance = {
    scoring: 'accuracy',
    baseline: 0.91,
    repeats: 5,
    seed: 0,
    features: Array.from({ length: 12 }, (_, i) => ({
      feature: `feature_${String(i + 1).padStart(2, '0')}`,
      mean: 0.3 / (i + 1) - 0.01,
      std: 0.01 + 0.002 * i,
      drops: [],
    })),
  };
  const baseline = sampleEvaluation(
    2,
    sampleClassificationMetrics({ accuracy: 0.93, rocAuc: 0.9612, logLoss: 0.2503 }),
  );
  baseline.fairness = [
    { ...candidate.fairness[0]!, demographicParityDifference: estimate(0.05, 0.01, 0.2) },
  ];
  return {
    validation: {
      model: candidate.model,
      baseline: { ...baseline.model, ref: 'production' },
      passed: false,
      gates: [
        {
          gate: 'accuracy >= 0.9',
          kind: 'min',
          metric: 'accuracy',
          passed: true,
          value: 0.91,
          threshold: 0.9,
          baseline: null,
          message: 'accuracy 0.91 reaches the minimum 0.9',
        },
        {
          gate: 'accuracy no worse than production - 0.01',
          kind: 'noWorseThan',
          metric: 'accuracy',
          passed: false,
          value: 0.91,
          threshold: 0.92,
          baseline: { ref: 'production', version: 2, value: 0.93 },
          message: 'accuracy 0.91 is below 0.92 (production penguins@2 had 0.93, tolerance 0.01)',
        },
      ],
      validatedAt: '2026-03-04T05:06:08.123Z',
    },
    candidate,
    baseline,
    params: {
      candidate: { 'train.lr': 0.01, 'train.epochs': 200, 'prepare.split': { test: 0.2, seed: 1 } },
      baseline: {
        'train.lr': 0.1,
        'train.epochs': 200,
        'prepare.split': { seed: 1, test: 0.2 },
        'train.l2': 0.001,
      },
    },
    lineage: [
      `commit 1a2b3c4d5e6f -> data/train.csv (${DIGEST_DATA})`,
      'stage train -> model/model.onnx',
    ],
    commit: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
  };
}

export function sampleRegressionReport(): ReportInput {
  const metrics: RegressionMetrics = {
    task: 'regression',
    rows: 80,
    rmse: 312.5,
    mae: 250.4,
    r2: 0.8125,
  };
  const candidate = sampleEvaluation(3, metrics);
  const regressionGroup = (group: string, rmse: number, meanPrediction: number): GroupMetrics => ({
    group,
    rows: 40,
    metrics: { ...metrics, rows: 40, rmse },
    selectionRate: meanPrediction,
    truePositiveRate: null,
    falsePositiveRate: null,
  });
  candidate.fairness = [
    {
      attribute: 'island',
      positiveClass: null,
      groups: [regressionGroup('Biscoe', 298.1, 4716.2), regressionGroup('Dream', 327.4, 3712.9)],
      demographicParityDifference: estimate(1003.3, 870.1, 1140.8),
      demographicParityRatio: estimate(0.7873, 0.75, 0.82),
      equalizedOddsDifference: null,
      metricGap: estimate(29.3, 3.2, 61.5),
    },
  ];
  candidate.importance = {
    scoring: 'r2',
    baseline: 0.8125,
    repeats: 5,
    seed: 0,
    features: candidate.features.map((feature, i) => ({
      feature,
      mean: 0.4 - 0.1 * i,
      std: 0.02,
      drops: [],
    })),
  };
  return {
    validation: {
      model: candidate.model,
      baseline: null,
      passed: true,
      gates: [
        {
          gate: 'rmse <= 400',
          kind: 'max',
          metric: 'rmse',
          passed: true,
          value: 312.5,
          threshold: 400,
          baseline: null,
          message: 'rmse 312.5 stays below the maximum 400',
        },
      ],
      validatedAt: '2026-03-04T05:06:08.123Z',
    },
    candidate,
    baseline: null,
    params: { candidate: { 'train.lr': 0.01 }, baseline: null },
    lineage: [],
    commit: null,
  };
}
