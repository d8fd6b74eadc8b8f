import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClassificationMetrics,
  ClassificationPredictions,
  RegressionPredictions,
} from '../types.js';
import { computeClassificationMetrics } from './classification.js';
import { isLabel, probabilityColumn } from './probabilities.js';
import { Random } from '../../core/random.js';
import { computeRegressionMetrics } from './regression.js';
import { rocCurve, thinCurve } from './roc.js';

const execFileAsync = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'sklearn-reference.py');
const TOLERANCE = 1e-9;
const BINS = 10;

interface ClassificationCase {
  name: string;
  predictions: ClassificationPredictions;
  positiveClass: number;
}

/** What sklearn-reference.py prints for one classification case. */
interface ClassificationReference {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** [precision[], recall[], f1[], support[]] by class. */
  perClass: number[][];
  confusionMatrix: number[][];
  rocAuc?: number;
  logLoss?: number;
  /** [fraction positive[], mean predicted[], count[]] of the non-empty bins. */
  calibration?: number[][];
  /** By class index: [fpr[], tpr[], thresholds[]]. */
  roc?: Record<string, number[][]>;
}

interface RegressionReference {
  rmse: number;
  mae: number;
  r2: number;
}

/** P(class 1) from `drawScore`; the truth leans towards it, the prediction mostly follows it. */
function binaryCase(
  name: string,
  seed: number,
  drawScore: (r: Random) => number,
  positiveClass = 1,
): ClassificationCase {
  const random = new Random(seed);
  const rows = 400;
  const probabilities = new Float64Array(rows * 2);
  const actual = new Int32Array(rows);
  const predicted = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const score = drawScore(random);
    probabilities.set([1 - score, score], row * 2);
    actual[row] = random.next() < 0.2 + 0.6 * score ? 1 : 0;
    predicted[row] = score >= 0.5 !== random.next() < 0.1 ? 1 : 0;
  }
  const predictions: ClassificationPredictions = {
    task: 'classification',
    classes: ['no', 'yes'],
    actual,
    predicted,
    probabilities,
  };
  return { name, predictions, positiveClass };
}

/** Softmax of random logits, or (tied) rows from a small palette that never ranks class 2 first. */
function multiclassCase(
  name: string,
  seed: number,
  classes: number,
  tied: boolean,
): ClassificationCase {
  const random = new Random(seed);
  const rows = 500;
  const palette = [
    [0.5, 0.3, 0.2],
    [0.2, 0.6, 0.2],
    [0.1, 0.1, 0.8],
    [0.25, 0.25, 0.5],
    [0.4, 0.4, 0.2],
  ];
  const probabilities = new Float64Array(rows * classes);
  const actual = new Int32Array(rows);
  const predicted = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const p = tied ? palette[random.int(palette.length)]! : softmax(classes, random);
    probabilities.set(p, row * classes);
    actual[row] = sampleClass(p, random);
    const ranked = tied ? p.slice(0, 2) : p;
    predicted[row] = ranked.indexOf(Math.max(...ranked));
  }
  const names = Array.from({ length: classes }, (_, c) => `class-${c}`);
  return {
    name,
    predictions: { task: 'classification', classes: names, actual, predicted, probabilities },
    positiveClass: 1,
  };
}

function softmax(classes: number, random: Random): number[] {
  const exps = Array.from({ length: classes }, () => Math.exp(4 * random.next()));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

function sampleClass(p: number[], random: Random): number {
  let u = random.next();
  const c = p.findIndex((probability) => (u -= probability) < 0);
  return c === -1 ? p.length - 1 : c;
}

function regressionCase(
  seed: number,
  constant: number | null,
  perfect = false,
): RegressionPredictions {
  const random = new Random(seed);
  const actual = Float64Array.from(
    { length: 300 },
    () => constant ?? Math.round(100 * random.next()) / 10,
  );
  const predicted = perfect ? actual.slice() : actual.map((value) => value + random.next() - 0.5);
  return { task: 'regression', actual, predicted };
}

const labelsOnly = multiclassCase('multiclass, labels only', 6, 3, false);
const CLASSIFICATION: ClassificationCase[] = [
  binaryCase('binary, continuous scores', 1, (r) => r.next()),
  binaryCase('binary, tied scores on bin edges, 0 and 1 included', 2, (r) => r.int(11) / 10),
  binaryCase('binary, class 0 positive, tied scores', 3, (r) => r.int(21) / 20, 0),
  multiclassCase('multiclass, continuous scores', 4, 4, false),
  multiclassCase('multiclass, tied scores, a class never predicted', 5, 3, true),
  { ...labelsOnly, predictions: { ...labelsOnly.predictions, probabilities: null } },
];
const CASES = CLASSIFICATION.map((c, i) => [c.name, c, i] as const);
const WITH_PROBABILITIES = CASES.filter(([, c]) => c.predictions.probabilities !== null);
const REGRESSION: [string, RegressionPredictions][] = [
  ['noisy predictions, tied targets', regressionCase(7, null)],
  // 2.5 sums exactly; a target like 0.1 leaves numpy's mean a hair off and sklearn's r2 at -1e32.
  ['constant target, imperfect predictions', regressionCase(8, 2.5)],
  ['constant target, perfect predictions', regressionCase(9, 2.5, true)],
];

function toJson(c: ClassificationCase): object {
  const { classes, actual, predicted, probabilities } = c.predictions;
  const k = classes.length;
  const rows =
    probabilities &&
    Array.from({ length: actual.length }, (_, row) =>
      Array.from(probabilities.subarray(row * k, (row + 1) * k)),
    );
  return {
    classes: k,
    actual: [...actual],
    predicted: [...predicted],
    probabilities: rows,
    positiveClass: c.positiveClass,
    bins: BINS,
  };
}

async function runSklearn(
  dir: string,
): Promise<{ classification: ClassificationReference[]; regression: RegressionReference[] }> {
  const input = join(dir, 'cases.json');
  const cases = {
    classification: CLASSIFICATION.map(toJson),
    regression: REGRESSION.map(([, p]) => ({ actual: [...p.actual], predicted: [...p.predicted] })),
  };
  await writeFile(input, JSON.stringify(cases));
  const { stdout } = await execFileAsync(PYTHON, [SCRIPT, input], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as {
    classification: ClassificationReference[];
    regression: RegressionReference[];
  };
}

async function requireSklearn(): Promise<void> {
  try {
    await execFileAsync(PYTHON, ['-c', 'import sklearn']);
  } catch (error) {
    throw new Error(
      `the scikit-learn cross-check needs ${PYTHON} with sklearn: install Debian's ` +
        'python3-sklearn (apt-get install python3-sklearn); CI installs it',
      { cause: error },
    );
  }
}

function expectClose(actual: number | null, expected: number | undefined, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(expected, what).toBeDefined();
  const difference = Math.abs(actual! - expected!);
  expect(difference, `${what}: ${actual} vs sklearn ${expected}`).toBeLessThan(TOLERANCE);
}

/** Compares `pick` of every item with the matching value of sklearn's array. */
function expectAllClose<T>(
  items: T[],
  pick: (item: T) => number,
  expected: number[] | undefined,
  what: string,
): void {
  expect(items.length, `${what}: length`).toBe(expected?.length);
  items.forEach((item, i) => expectClose(pick(item), expected?.[i], `${what}[${i}]`));
}

function metricsOf(c: ClassificationCase): ClassificationMetrics {
  return computeClassificationMetrics(c.predictions, { positiveClass: c.positiveClass });
}

describe('metrics agree with scikit-learn', () => {
  let dir = '';
  let reference: Awaited<ReturnType<typeof runSklearn>>;

  beforeAll(async () => {
    await requireSklearn();
    dir = await mkdtemp(join(tmpdir(), 'weft-sklearn-'));
    reference = await runSklearn(dir);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(CASES)('classification: %s', (_, c, i) => {
    it('matches accuracy, precision, recall, F1, per-class scores and the confusion matrix', () => {
      const expected = reference.classification[i]!;
      const metrics = metricsOf(c);
      for (const name of ['accuracy', 'precision', 'recall', 'f1'] as const) {
        expectClose(metrics[name], expected[name], name);
      }
      const perClass = Object.values(metrics.perClass);
      const [precision, recall, f1, support] = expected.perClass;
      expectAllClose(perClass, (m) => m.precision, precision, 'per-class precision');
      expectAllClose(perClass, (m) => m.recall, recall, 'per-class recall');
      expectAllClose(perClass, (m) => m.f1, f1, 'per-class f1');
      expect(perClass.map((m) => m.support)).toEqual(support);
      expect(metrics.confusionMatrix).toEqual(expected.confusionMatrix);
    });
  });

  describe.each(WITH_PROBABILITIES)('classification with probabilities: %s', (_, c, i) => {
    it('matches ROC AUC, log loss and the calibration curve', () => {
      const expected = reference.classification[i]!;
      const metrics = metricsOf(c);
      expectClose(metrics.rocAuc, expected.rocAuc, 'rocAuc');
      expectClose(metrics.logLoss, expected.logLoss, 'logLoss');
      const [fractionPositive, meanPredicted, count] = expected.calibration ?? [];
      expectAllClose(
        metrics.calibration,
        (b) => b.fractionPositive,
        fractionPositive,
        'fraction positive',
      );
      expectAllClose(metrics.calibration, (b) => b.meanPredicted, meanPredicted, 'mean predicted');
      expect(metrics.calibration.map((b) => b.count)).toEqual(count);
    });

    it('matches roc_curve point for point, and reports it thinned', () => {
      const { probabilities, classes, actual } = c.predictions;
      const curves = Object.entries(reference.classification[i]!.roc ?? {});
      const metrics = metricsOf(c);
      expect(Object.keys(metrics.roc)).toHaveLength(curves.length);
      for (const [index, [fpr, tpr, thresholds]] of curves) {
        const scores = probabilityColumn(probabilities!, classes.length, Number(index));
        const curve = rocCurve(scores, isLabel(actual, Number(index)))!;
        expectAllClose(curve, (point) => point.fpr, fpr, `fpr of class ${index}`);
        expectAllClose(curve, (point) => point.tpr, tpr, `tpr of class ${index}`);
        expectAllClose(
          curve,
          (point) => point.threshold,
          thresholds,
          `thresholds of class ${index}`,
        );
        expect(metrics.roc[classes[Number(index)]!]).toEqual(thinCurve(curve));
      }
    });
  });

  it.each(REGRESSION.map(([name, p], i) => [name, p, i] as const))('regression: %s', (_, p, i) => {
    const expected = reference.regression[i]!;
    const metrics = computeRegressionMetrics(p);
    expectClose(metrics.rmse, expected.rmse, 'rmse');
    expectClose(metrics.mae, expected.mae, 'mae');
    expectClose(metrics.r2, expected.r2, 'r2');
  });
});
