/** Per-group confusion matrices of a classifier, and the Fairlearn gaps they give. */
import { type Gaps, type GroupRates, type GroupTally, ratio, spread } from './gaps.js';
import type { GroupLayout } from './groups.js';

interface ClassGaps {
  demographicParityDifference: number;
  demographicParityRatio: number;
  equalizedOddsDifference: number;
}

/** What one group's confusion matrix says about every class one-vs-rest. */
interface GroupCounts {
  rows: number;
  correct: number;
  predictedAs: Int32Array;
  positives: Int32Array;
  truePositives: Int32Array;
}

/**
 * A confusion matrix per group, enough for selection rate, TPR and FPR of any class one-vs-rest
 * and for accuracy. Each row's cell (predicted * classes + actual) is gathered once in group
 * order, so adding a row is a single increment.
 *
 * `candidates` are the classes the gaps may be about. With one candidate (a binary model, or a
 * positive class named by the caller) the gaps are that class's. With several (a multiclass
 * model and no positive class) each gap is the worst over the candidates one-vs-rest — largest
 * difference, smallest ratio — because fairness is only as good as for the worst-treated class;
 * the reported positive class and group rates are those of the class with the largest
 * demographic parity difference, so the ratio or equalized odds may come from another class.
 */
export class ClassificationTally implements GroupTally {
  private readonly cells: Int32Array;
  private readonly counts: Int32Array;
  private readonly cellsPerGroup: number;

  constructor(
    actual: Int32Array,
    predicted: Int32Array,
    layout: GroupLayout,
    private readonly classes: number,
    private readonly candidates: readonly number[],
  ) {
    this.cells = layout.rows.map((row) => predicted[row]! * classes + actual[row]!);
    this.cellsPerGroup = classes * classes;
    this.counts = new Int32Array(layout.names.length * this.cellsPerGroup);
  }

  clear(): void {
    this.counts.fill(0);
  }

  add(group: number, position: number): void {
    this.counts[group * this.cellsPerGroup + this.cells[position]!]!++;
  }

  gaps(): Gaps {
    const groups = this.countGroups();
    const perClass = this.candidates.map((c) => classGaps(groups, c));
    return {
      demographicParityDifference: Math.max(...perClass.map((g) => g.demographicParityDifference)),
      demographicParityRatio: Math.min(...perClass.map((g) => g.demographicParityRatio)),
      equalizedOddsDifference: Math.max(...perClass.map((g) => g.equalizedOddsDifference)),
      metricGap: spread(groups.map((g) => g.correct / g.rows)),
    };
  }

  positiveClass(): number {
    const groups = this.countGroups();
    let worst = this.candidates[0]!;
    let largest = -Infinity;
    for (const c of this.candidates) {
      const difference = classGaps(groups, c).demographicParityDifference;
      if (difference > largest) [worst, largest] = [c, difference];
    }
    return worst;
  }

  rates(group: number): GroupRates {
    return classRates(this.countGroups()[group]!, this.positiveClass());
  }

  private countGroups(): GroupCounts[] {
    const k = this.classes;
    const groups = this.counts.length / this.cellsPerGroup;
    return Array.from({ length: groups }, (_, g) => {
      const counts = {
        rows: 0,
        correct: 0,
        predictedAs: new Int32Array(k),
        positives: new Int32Array(k),
        truePositives: new Int32Array(k),
      };
      for (let predicted = 0; predicted < k; predicted++) {
        for (let actual = 0; actual < k; actual++) {
          const count = this.counts[g * this.cellsPerGroup + predicted * k + actual]!;
          counts.rows += count;
          counts.predictedAs[predicted]! += count;
          counts.positives[actual]! += count;
          if (predicted === actual) counts.truePositives[actual]! += count;
        }
      }
      counts.correct = counts.truePositives.reduce((sum, count) => sum + count, 0);
      return counts;
    });
  }
}

function classGaps(groups: GroupCounts[], c: number): ClassGaps {
  const rates = groups.map((counts) => classRates(counts, c));
  const selectionRates = rates.map((r) => r.selectionRate);
  return {
    demographicParityDifference: spread(selectionRates),
    demographicParityRatio: ratio(selectionRates),
    equalizedOddsDifference: Math.max(
      spread(rates.map((r) => r.truePositiveRate)),
      spread(rates.map((r) => r.falsePositiveRate)),
    ),
  };
}

/** One-vs-rest rates of class c; a group without positives (negatives) has no TPR (FPR). */
function classRates(counts: GroupCounts, c: number): GroupRates {
  const predictedAs = counts.predictedAs[c]!;
  const positives = counts.positives[c]!;
  const truePositives = counts.truePositives[c]!;
  const negatives = counts.rows - positives;
  return {
    selectionRate: predictedAs / counts.rows,
    truePositiveRate: positives === 0 ? null : truePositives / positives,
    falsePositiveRate: negatives === 0 ? null : (predictedAs - truePositives) / negatives,
  };
}
