/**
 * The metrics a gate may name. Fairness gaps may be prefixed by a sensitive attribute
 * (`sex.demographic_parity_difference`); unprefixed, they mean the worst attribute.
 */
export const MODEL_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'log_loss',
  'rmse',
  'mae',
  'r2',
] as const;

export const FAIRNESS_METRICS = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'metric_gap',
] as const;

export type ModelMetricName = (typeof MODEL_METRICS)[number];
export type FairnessMetricName = (typeof FAIRNESS_METRICS)[number];

const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  'log_loss',
  'rmse',
  'mae',
  'demographic_parity_difference',
  'equalized_odds_difference',
  'metric_gap',
]);

/** Whether a smaller value of the metric is the better one (losses, errors, gaps). */
export function isLowerBetter(metric: string): boolean {
  return LOWER_IS_BETTER.has(metric.slice(metric.lastIndexOf('.') + 1));
}

/** Every name a gate may use given the pipeline's sensitive attributes. */
export function gateMetricNames(sensitive: readonly string[]): string[] {
  return [
    ...MODEL_METRICS,
    ...FAIRNESS_METRICS,
    ...sensitive.flatMap((attribute) => FAIRNESS_METRICS.map((gap) => `${attribute}.${gap}`)),
  ];
}
