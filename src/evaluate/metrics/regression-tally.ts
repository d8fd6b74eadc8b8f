/** Per-group sums of a regressor's predictions and errors, and the gaps they give. */
import { type Gaps, type GroupRates, type GroupTally, ratio, spread } from './gaps.js';
import type { GroupLayout } from './groups.js';

/**
 * The regression reading of the fairness gaps: a group's "selection rate" is its mean
 * prediction and the metric compared is RMSE; equalized odds has no regression meaning.
 * The demographic parity ratio only reads well when predictions are not negative.
 * Predictions and squared errors are gathered once in group order.
 */
export class RegressionTally implements GroupTally {
  private readonly predictions: Float64Array;
  private readonly squaredErrors: Float64Array;
  /** Per group: rows, sum of predictions, sum of squared errors. */
  private readonly sums: Float64Array;

  constructor(actual: Float64Array, predicted: Float64Array, layout: GroupLayout) {
    this.predictions = Float64Array.from(layout.rows, (row) => predicted[row]!);
    this.squaredErrors = Float64Array.from(layout.rows, (row) => {
      const error = actual[row]! - predicted[row]!;
      return error * error;
    });
    this.sums = new Float64Array(layout.names.length * 3);
  }

  clear(): void {
    this.sums.fill(0);
  }

  add(group: number, position: number): void {
    const base = group * 3;
    this.sums[base]!++;
    this.sums[base + 1]! += this.predictions[position]!;
    this.sums[base + 2]! += this.squaredErrors[position]!;
  }

  gaps(): Gaps {
    const groups = Array.from({ length: this.sums.length / 3 }, (_, g) => g);
    const means = groups.map((g) => this.meanPrediction(g));
    return {
      demographicParityDifference: spread(means),
      demographicParityRatio: ratio(means),
      equalizedOddsDifference: null,
      metricGap: spread(groups.map((g) => Math.sqrt(this.sums[g * 3 + 2]! / this.sums[g * 3]!))),
    };
  }

  positiveClass(): null {
    return null;
  }

  rates(group: number): GroupRates {
    return {
      selectionRate: this.meanPrediction(group),
      truePositiveRate: null,
      falsePositiveRate: null,
    };
  }

  private meanPrediction(group: number): number {
    return this.sums[group * 3 + 1]! / this.sums[group * 3]!;
  }
}
