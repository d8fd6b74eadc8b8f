/** ROC curves: one per class (one-vs-rest) or one for the positive class of a binary model. */
import type { ClassificationMetrics, RocPoint } from '../../evaluate/types.js';
import { formatNumber } from '../format.js';
import { UNIT_TICKS, frameScales, renderAxes, type Axis } from './axes.js';
import { curveColor, legendBottom, renderLegend, type LegendEntry } from './legend.js';
import { svgDocument, svgLine, svgPolyline, type Frame } from './svg.js';

const FRAME: Frame = { left: 70, top: 44, width: 300, height: 300 };
const X_AXIS: Axis = { domain: [0, 1], ticks: UNIT_TICKS, label: 'False positive rate' };
const Y_AXIS: Axis = { domain: [0, 1], ticks: UNIT_TICKS, label: 'True positive rate' };

/** Null when no class has a curve (the model gave no probabilities). */
export function renderRocPlot(metrics: ClassificationMetrics): string | null {
  const curves = Object.entries(metrics.roc).filter(([, points]) => points.length > 0);
  if (curves.length === 0) return null;
  const scales = frameScales(FRAME, X_AXIS, Y_AXIS);
  const lines = curves.map(([, points], index) =>
    svgPolyline(
      sortAlongCurve(points).map((p) => [scales.x(p.fpr), scales.y(p.tpr)]),
      { stroke: curveColor(index), 'stroke-width': 2 },
    ),
  );
  const chance = svgLine([scales.x(0), scales.y(0)], [scales.x(1), scales.y(1)], {
    stroke: '#8c959f',
    'stroke-width': 1.5,
    'stroke-dasharray': '5 4',
  });
  const legend: LegendEntry[] = [
    ...curves.map(([name], index) => ({ label: name, color: curveColor(index) })),
    { label: 'chance', color: '#8c959f', dashed: true },
  ];
  const height = Math.max(400, legendBottom(FRAME, legend.length) + 12);
  return svgDocument(600, height, rocTitle(metrics), [
    ...renderAxes(FRAME, X_AXIS, Y_AXIS),
    chance,
    ...lines,
    ...renderLegend(FRAME, legend),
  ]);
}

function rocTitle(metrics: ClassificationMetrics): string {
  if (metrics.rocAuc === null) return 'ROC curve';
  const kind = metrics.confusionMatrix.length > 2 ? 'macro AUC' : 'AUC';
  return `ROC curve (${kind} ${formatNumber(metrics.rocAuc)})`;
}

/** Thresholds fall as rates rise; sorting by rate draws the curve left to right whatever the input order. */
function sortAlongCurve(points: RocPoint[]): RocPoint[] {
  return [...points].sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
}
