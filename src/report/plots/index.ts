/** Standalone SVG plots of an evaluation, for files next to a report. */
import type { ReportInput } from '../../evaluate/types.js';
import { renderCalibrationPlot } from './calibration.js';
import { renderConfusionPlot } from './confusion.js';
import { renderImportancePlot } from './importance.js';
import { renderRocPlot } from './roc.js';

export { TOP_FEATURES } from './importance.js';

export type PlotName = 'roc' | 'confusion' | 'calibration' | 'importance';

/** The order plots appear in a report. */
export const PLOT_NAMES: readonly PlotName[] = ['roc', 'confusion', 'calibration', 'importance'];

/** Alt text of each plot's image in Markdown. */
export const PLOT_TITLES: Readonly<Record<PlotName, string>> = {
  roc: 'ROC curve',
  confusion: 'Confusion matrix',
  calibration: 'Calibration (reliability diagram)',
  importance: 'Permutation importance',
};

/**
 * The candidate's plots as SVG documents. Plots that do not apply are left out: a regression
 * has no ROC curve, confusion matrix or calibration; a model without probabilities has no ROC
 * curve or calibration; an evaluation without importance has no importance plot.
 */
export function renderPlots(input: ReportInput): Partial<Record<PlotName, string>> {
  const { metrics, importance } = input.candidate;
  const plots: Record<PlotName, string | null> = {
    roc: metrics.task === 'classification' ? renderRocPlot(metrics) : null,
    confusion: metrics.task === 'classification' ? renderConfusionPlot(metrics) : null,
    calibration: metrics.task === 'classification' ? renderCalibrationPlot(metrics) : null,
    importance: renderImportancePlot(importance),
  };
  return Object.fromEntries(
    PLOT_NAMES.flatMap((name) => {
      const svg = plots[name];
      return svg === null ? [] : [[name, svg]];
    }),
  );
}
