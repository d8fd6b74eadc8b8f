import type { Metrics } from './types.js';

/** The task's headline metrics in gate order; a metric the evaluation could not compute is null. */
export function readModelMetrics(metrics: Metrics): Map<string, number | null> {
  if (metrics.task === 'regression') {
    return new Map([
      ['rmse', metrics.rmse],
      ['mae', metrics.mae],
      ['r2', metrics.r2],
    ]);
  }
  return new Map([
    ['accuracy', metrics.accuracy],
    ['precision', metrics.precision],
    ['recall', metrics.recall],
    ['f1', metrics.f1],
    ['roc_auc', metrics.rocAuc],
    ['log_loss', metrics.logLoss],
  ]);
}
