import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassificationPredictions } from '../types.js';
import { computeClassificationMetrics } from './classification.js';
import { selectRows } from './groups.js';
import { classificationPredictions, expectUsageError, permutationOf } from './test-support.js';

function predictions(
  actual: number[],
  predicted: number[],
  probabilities: number[][] | null = null,
  classes = ['no', 'yes'],
): ClassificationPredictions {
  return {
    task: 'classification',
    classes,
    actual: Int32Array.from(actual),
    predicted: Int32Array.from(predicted),
    probabilities: probabilities && Float64Array.from(probabilities.flat()),
  };
}

/** Binary probabilities [1 - s, s] from scores of the positive class. */
const scored = (scores: number[]): number[][] => scores.map((s) => [1 - s, s]);

describe('computeClassificationMetrics', () => {
  it('scores the positive class of a binary model', () => {
    const metrics = computeClassificationMetrics(predictions([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]));
    expect(metrics).toMatchObject({
      rows: 5,
      accuracy: 0.6,
      confusionMatrix: [
        [1, 1],
        [1, 2],
      ],
    });
    expect(metrics.precision).toBeCloseTo(2 / 3, 12);
    expect(metrics.recall).toBeCloseTo(2 / 3, 12);
    expect(metrics.perClass.no).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it('scores class 0 when it is named the positive class', () => {
    const metrics = computeClassificationMetrics(predictions([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]), {
      positiveClass: 0,
    });
    expect([metrics.precision, metrics.recall, metrics.f1]).toEqual([0.5, 0.5, 0.5]);
  });

  it('macro-averages a multiclass model over all classes, a never-seen class scoring 0', () => {
    const p = predictions([0, 1, 1, 2], [0, 1, 2, 2], null, ['a', 'b', 'c', 'unseen']);
    const metrics = computeClassificationMetrics(p);
    // precision a 1, b 1, c 0.5, unseen 0; recall a 1, b 0.5, c 1, unseen 0.
    expect(metrics.precision).toBeCloseTo(2.5 / 4, 12);
    expect(metrics.recall).toBeCloseTo(2.5 / 4, 12);
    expect(metrics.perClass.unseen).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('computes ROC AUC with tied scores as the trapezoid over distinct thresholds', () => {
    // sklearn's roc_auc_score docstring example, then all scores tied.
    const p = predictions([0, 0, 1, 1], [0, 0, 0, 1], scored([0.1, 0.4, 0.35, 0.8]));
    expect(computeClassificationMetrics(p).rocAuc).toBeCloseTo(0.75, 12);
    const tied = predictions([0, 0, 1, 1], [1, 1, 1, 1], scored([0.5, 0.5, 0.5, 0.5]));
    const metrics = computeClassificationMetrics(tied);
    expect(metrics.rocAuc).toBe(0.5);
    expect(metrics.roc.yes).toEqual([
      { fpr: 0, tpr: 0, threshold: 1.5 },
      { fpr: 1, tpr: 1, threshold: 0.5 },
    ]);
  });

  it('computes log loss as sklearn, clipping certain mistakes to machine epsilon', () => {
    // sklearn's log_loss docstring example (ham = 0, spam = 1).
    const p = predictions([1, 0, 0, 1], [1, 0, 0, 1], scored([0.9, 0.1, 0.2, 0.65]));
    expect(computeClassificationMetrics(p).logLoss).toBeCloseTo(0.21616187468057912, 12);
    const certainAndWrong = predictions([1, 0], [0, 0], scored([0, 0]));
    const expected = -Math.log(Number.EPSILON / (1 + Number.EPSILON)) / 2;
    expect(computeClassificationMetrics(certainAndWrong).logLoss).toBeCloseTo(expected, 12);
  });

  it('bins top-class confidence against correctness for a multiclass model', () => {
    const probabilities = [
      [0.7, 0.2, 0.1],
      [0.1, 0.75, 0.15],
      [0.2, 0.2, 0.6],
    ];
    const metrics = computeClassificationMetrics(
      predictions([0, 2, 2], [0, 1, 2], probabilities, ['a', 'b', 'c']),
      { calibrationBins: 2 },
    );
    expect(metrics.calibration).toEqual([
      {
        lower: 0.5,
        upper: 1,
        count: 3,
        meanPredicted: (0.7 + 0.75 + 0.6) / 3,
        fractionPositive: 2 / 3,
      },
    ]);
    expect(Object.keys(metrics.roc)).toEqual(['a', 'c']);
  });

  it('leaves AUC and curves out with only one class present, or without probabilities', () => {
    const oneClass = computeClassificationMetrics(predictions([1, 1], [1, 0], scored([0.9, 0.2])));
    expect(oneClass).toMatchObject({ rocAuc: null, roc: {} });
    expect(oneClass.logLoss).not.toBeNull();
    const labelsOnly = computeClassificationMetrics(predictions([0, 1], [0, 1]));
    expect(labelsOnly).toMatchObject({ rocAuc: null, logLoss: null, calibration: [], roc: {} });
  });

  it('thins long ROC curves to 200 points, keeping both ends', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const actual = scores.map((_, i) => i % 2);
    const metrics = computeClassificationMetrics(predictions(actual, actual, scored(scores)));
    const curve = metrics.roc.yes!;
    expect(curve).toHaveLength(200);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0, threshold: 0.999 + 1 });
    expect(curve.at(-1)).toEqual({ fpr: 1, tpr: 1, threshold: 0 });
  });

  it.each([
    ['no rows', predictions([], [])],
    ['a label outside the classes', predictions([0, 2], [0, 1])],
    ['mismatched lengths', predictions([0, 1], [0])],
    ['a probability matrix of the wrong size', predictions([0, 1], [0, 1], [[1, 0]])],
    ['a single class', predictions([0], [0], null, ['only'])],
  ])('rejects %s', (_, p) => {
    expectUsageError(() => computeClassificationMetrics(p));
  });

  it('keeps every rate within [0, 1]', () => {
    fc.assert(
      fc.property(classificationPredictions(), (p) => {
        const m = computeClassificationMetrics(p);
        const rates = [m.accuracy, m.precision, m.recall, m.f1, m.rocAuc ?? 0];
        expect(rates.every((rate) => rate >= 0 && rate <= 1)).toBe(true);
        expect(m.logLoss).toBeGreaterThanOrEqual(0);
        expect(m.calibration.reduce((sum, bin) => sum + bin.count, 0)).toBe(p.actual.length);
      }),
    );
  });

  it('does not depend on the order of the rows', () => {
    const withOrder = classificationPredictions().chain((p) =>
      fc.tuple(fc.constant(p), permutationOf(p.actual.length)),
    );
    fc.assert(
      fc.property(withOrder, ([p, order]) => {
        const original = computeClassificationMetrics(p);
        const shuffled = computeClassificationMetrics(selectRows(p, Int32Array.from(order)));
        expect(shuffled.confusionMatrix).toEqual(original.confusionMatrix);
        expect(shuffled.perClass).toEqual(original.perClass);
        expect(shuffled.rocAuc ?? -1).toBeCloseTo(original.rocAuc ?? -1, 12);
        expect(shuffled.logLoss).toBeCloseTo(original.logLoss!, 12);
      }),
    );
  });

  it('turns a binary AUC a into 1 - a when the probability columns are swapped', () => {
    fc.assert(
      fc.property(classificationPredictions({ maxClasses: 2 }), (p) => {
        const swapped = p.probabilities!.map((_, i, values) => values[i ^ 1]!);
        const auc = computeClassificationMetrics(p).rocAuc;
        const reversed = computeClassificationMetrics({ ...p, probabilities: swapped }).rocAuc;
        if (auc === null) expect(reversed).toBeNull();
        else expect(reversed).toBeCloseTo(1 - auc, 12);
      }),
    );
  });
});
