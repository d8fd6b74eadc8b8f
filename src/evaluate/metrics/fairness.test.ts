import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassificationPredictions, Predictions, RegressionPredictions } from '../types.js';
import { computeClassificationMetrics } from './classification.js';
import { computeFairness } from './fairness.js';
import { layoutGroups, rowsOfGroup, selectRows } from './groups.js';
import { classificationPredictions, expectUsageError, permutationOf } from './test-support.js';

const BOOTSTRAP = { samples: 50, seed: 1, level: 0.9 };

function labels(
  actual: number[],
  predicted: number[],
  classes = ['no', 'yes'],
): ClassificationPredictions {
  return {
    task: 'classification',
    classes,
    actual: Int32Array.from(actual),
    predicted: Int32Array.from(predicted),
    probabilities: null,
  };
}

const fairness = (p: Predictions, groups: string[], positiveClass?: number) =>
  computeFairness(p, groups, 'sex', { positiveClass, bootstrap: BOOTSTRAP });

describe('computeFairness', () => {
  // Group a: everyone selected; group b: exactly the positives. Rows interleave the groups.
  const groups = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'];
  const binary = labels([1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 1, 0]);

  it('compares selection rates, error rates and accuracy of a binary model', () => {
    const result = fairness(binary, groups);
    expect(result.positiveClass).toBe('yes');
    expect(
      result.groups.map(({ group, rows, selectionRate, truePositiveRate, falsePositiveRate }) => ({
        group,
        rows,
        selectionRate,
        truePositiveRate,
        falsePositiveRate,
      })),
    ).toEqual([
      { group: 'a', rows: 4, selectionRate: 1, truePositiveRate: 1, falsePositiveRate: 1 },
      { group: 'b', rows: 4, selectionRate: 0.5, truePositiveRate: 1, falsePositiveRate: 0 },
    ]);
    expect(result.demographicParityDifference.value).toBe(0.5);
    expect(result.demographicParityRatio.value).toBe(0.5);
    expect(result.equalizedOddsDifference?.value).toBe(1);
    expect(result.metricGap.value).toBe(0.5);
    expect(result.metricGap.level).toBe(0.9);
  });

  it('reports the metrics of each group as computed on its rows alone', () => {
    const result = fairness(binary, groups);
    const layout = layoutGroups(groups);
    result.groups.forEach((group, g) => {
      expect(group.metrics).toEqual(
        computeClassificationMetrics(selectRows(binary, rowsOfGroup(layout, g))),
      );
    });
  });

  it('leaves a group without positives out of the true positive rate gap', () => {
    const withC = labels([...binary.actual, 0, 0], [...binary.predicted, 1, 0]);
    const result = fairness(withC, [...groups, 'c', 'c']);
    expect(result.groups[2]).toMatchObject({
      group: 'c',
      selectionRate: 0.5,
      truePositiveRate: null,
      falsePositiveRate: 0.5,
    });
    expect(result.equalizedOddsDifference?.value).toBe(1);
  });

  it('reports the worst class of a multiclass model one-vs-rest, or the class it is given', () => {
    const classes = ['c0', 'c1', 'c2'];
    const p = labels([0, 1, 2, 0, 0, 1, 2, 1], [0, 0, 0, 0, 0, 1, 2, 2], classes);
    const sizes = ['x', 'x', 'x', 'x', 'y', 'y', 'y', 'y'];
    // Selection rates x / y: c0 1 / 0.25, c1 0 / 0.25, c2 0 / 0.5.
    const worst = fairness(p, sizes);
    expect(worst.positiveClass).toBe('c0');
    expect(worst.groups.map((g) => g.selectionRate)).toEqual([1, 0.25]);
    expect(worst.demographicParityDifference.value).toBe(0.75);
    expect(worst.demographicParityRatio.value).toBe(0);
    expect(worst.equalizedOddsDifference?.value).toBe(1);
    const given = fairness(p, sizes, 2);
    expect(given.positiveClass).toBe('c2');
    expect([given.demographicParityDifference.value, given.demographicParityRatio.value]).toEqual([
      0.5, 0,
    ]);
  });

  it('compares mean predictions and RMSE of a regressor, without equalized odds', () => {
    const p: RegressionPredictions = {
      task: 'regression',
      actual: Float64Array.from([1, 2, 1, 1]),
      predicted: Float64Array.from([1, 2, 2, 4]),
    };
    const result = fairness(p, ['p', 'p', 'q', 'q']);
    expect(result.positiveClass).toBeNull();
    expect(result.groups.map((g) => g.selectionRate)).toEqual([1.5, 3]);
    expect(result.demographicParityDifference.value).toBe(1.5);
    expect(result.demographicParityRatio.value).toBe(0.5);
    expect(result.equalizedOddsDifference).toBeNull();
    expect(result.metricGap.value).toBeCloseTo(Math.sqrt(5), 12);
    expect(result.metricGap.interval).not.toBeNull();
  });

  it('has nothing to compare with a single group: no gaps and no intervals', () => {
    const result = fairness(
      binary,
      groups.map(() => 'all'),
    );
    expect(result.demographicParityDifference).toEqual({ value: 0, interval: null, level: 0.9 });
    expect(result.demographicParityRatio.value).toBe(1);
    expect(result.metricGap.value).toBe(0);
  });

  it('rejects groups that do not match the rows', () => {
    expectUsageError(() => fairness(binary, ['a']));
  });

  const withGroups = classificationPredictions({ maxRows: 30, withProbabilities: false }).chain(
    (p) =>
      fc.tuple(
        fc.constant(p),
        fc.array(fc.constantFrom('a', 'b', 'c'), {
          minLength: p.actual.length,
          maxLength: p.actual.length,
        }),
        permutationOf(p.actual.length),
      ),
  );

  it('keeps gaps and ratios within [0, 1], consistent with the group metrics', () => {
    fc.assert(
      fc.property(withGroups, ([p, groupOf]) => {
        const result = fairness(p, groupOf);
        const estimates = [
          result.demographicParityDifference,
          result.demographicParityRatio,
          result.equalizedOddsDifference!,
          result.metricGap,
        ];
        for (const { value, interval } of estimates) {
          expect(value >= 0 && value <= 1).toBe(true);
          if (interval)
            expect(0 <= interval[0] && interval[0] <= interval[1] && interval[1] <= 1).toBe(true);
        }
        const accuracies = result.groups.map((g) =>
          g.metrics.task === 'classification' ? g.metrics.accuracy : NaN,
        );
        expect(result.metricGap.value).toBeCloseTo(
          Math.max(...accuracies) - Math.min(...accuracies),
          12,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(withGroups, ([p, groupOf, order]) => {
        const shuffled = fairness(
          selectRows(p, Int32Array.from(order)),
          order.map((row) => groupOf[row]!),
        );
        const original = fairness(p, groupOf);
        expect(shuffled.groups.map((g) => g.metrics)).toEqual(
          original.groups.map((g) => g.metrics),
        );
        expect(shuffled.demographicParityDifference.value).toBe(
          original.demographicParityDifference.value,
        );
        expect(shuffled.equalizedOddsDifference?.value).toBe(
          original.equalizedOddsDifference?.value,
        );
      }),
      { numRuns: 50 },
    );
  });
});
