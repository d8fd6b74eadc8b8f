/**
 * Candidate-versus-baseline comparisons, named as gates name metrics (`roc_auc`,
 * `sex.demographic_parity_difference`) so a reader can match a row to the gate that used it.
 */
import { readModelMetrics } from '../evaluate/metric-values.js';
import type { AttributeFairness, Estimate, Metrics } from '../evaluate/types.js';
import { FAIRNESS_METRICS, MODEL_METRICS, isLowerBetter } from '../spec/gate-metrics.js';

export type Change = 'better' | 'worse' | 'unchanged';

export interface MetricComparison {
  metric: string;
  candidate: number | null;
  baseline: number | null;
  /** candidate - baseline; null when either is missing. */
  delta: number | null;
  /** Null without a baseline value or for a metric with no better direction. */
  change: Change | null;
}

export interface GapComparison extends MetricComparison {
  estimate: Estimate;
}

const KNOWN_METRICS: ReadonlySet<string> = new Set([...MODEL_METRICS, ...FAIRNESS_METRICS]);

/** The gaps of one sensitive attribute; equalized odds only exists for classification. */
export function readFairnessGaps(fairness: AttributeFairness): Map<string, Estimate> {
  const gaps = new Map<string, Estimate>([
    ['demographic_parity_difference', fairness.demographicParityDifference],
    ['demographic_parity_ratio', fairness.demographicParityRatio],
  ]);
  if (fairness.equalizedOddsDifference) {
    gaps.set('equalized_odds_difference', fairness.equalizedOddsDifference);
  }
  gaps.set('metric_gap', fairness.metricGap);
  return gaps;
}

export function compareValues(
  metric: string,
  candidate: number | null,
  baseline: number | null,
): MetricComparison {
  const delta = candidate === null || baseline === null ? null : candidate - baseline;
  return { metric, candidate, baseline, delta, change: judgeChange(metric, delta) };
}

export function compareModelMetrics(
  candidate: Metrics,
  baseline: Metrics | null,
): MetricComparison[] {
  const before = baseline ? readModelMetrics(baseline) : new Map<string, number | null>();
  return [...readModelMetrics(candidate)].map(([metric, value]) =>
    compareValues(metric, value, before.get(metric) ?? null),
  );
}

/** Gaps are named `attribute.gap`; the baseline's attribute of the same name is the reference. */
export function compareFairnessGaps(
  candidate: AttributeFairness,
  baseline: AttributeFairness | undefined,
): GapComparison[] {
  const before = baseline ? readFairnessGaps(baseline) : new Map<string, Estimate>();
  return [...readFairnessGaps(candidate)].map(([gap, estimate]) => ({
    ...compareValues(
      `${candidate.attribute}.${gap}`,
      estimate.value,
      before.get(gap)?.value ?? null,
    ),
    estimate,
  }));
}

function judgeChange(metric: string, delta: number | null): Change | null {
  const name = metric.slice(metric.lastIndexOf('.') + 1);
  if (delta === null || Number.isNaN(delta) || !KNOWN_METRICS.has(name)) return null;
  // Differences this small are floating-point noise, not a model that changed.
  if (Math.abs(delta) < 1e-12) return 'unchanged';
  return delta < 0 === isLowerBetter(name) ? 'better' : 'worse';
}
