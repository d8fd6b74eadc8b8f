/** Reliability diagram: how often the model is right when it says it is p sure. */
import type { ClassificationMetrics } from '../../evaluate/types.js';
import { formatNumber } from '../format.js';
import { UNIT_TICKS, frameScales, renderAxes, type Axis } from './axes.js';
import { curveColor, renderLegend } from './legend.js';
import { coordinate, svgDocument, svgLine, svgPolyline, svgShape, type Frame } from './svg.js';

const FRAME: Frame = { left: 70, top: 44, width: 300, height: 300 };

/** Null when the model gave no probabilities (no bins). */
export function renderCalibrationPlot(metrics: ClassificationMetrics): string | null {
  const bins = metrics.calibration;
  if (bins.length === 0) return null;
  const binary = metrics.confusionMatrix.length === 2;
  const x: Axis = {
    domain: [0, 1],
    ticks: UNIT_TICKS,
    label: binary ? 'Predicted probability of the positive class' : 'Confidence (top class)',
  };
  const y: Axis = {
    domain: [0, 1],
    ticks: UNIT_TICKS,
    label: binary ? 'Observed share positive' : 'Observed accuracy',
  };
  const scales = frameScales(FRAME, x, y);
  const largest = Math.max(...bins.map((bin) => bin.count), 1);
  const color = curveColor(0);
  const points = bins.map((bin) =>
    svgShape(
      'circle',
      {
        cx: coordinate(scales.x(bin.meanPredicted)),
        cy: coordinate(scales.y(bin.fractionPositive)),
        // Area grows with the rows in the bin, so sparse bins read as less certain.
        r: coordinate(2.5 + 4.5 * Math.sqrt(bin.count / largest)),
        fill: color,
      },
      `${formatNumber(bin.lower)}–${formatNumber(bin.upper)}: ${bin.count} rows, ` +
        `mean predicted ${formatNumber(bin.meanPredicted)}, observed ${formatNumber(bin.fractionPositive)}`,
    ),
  );
  const diagonal = { stroke: '#8c959f', 'stroke-width': 1.5, 'stroke-dasharray': '5 4' };
  return svgDocument(600, 400, 'Calibration (reliability diagram)', [
    ...renderAxes(FRAME, x, y),
    svgLine([scales.x(0), scales.y(0)], [scales.x(1), scales.y(1)], diagonal),
    svgPolyline(
      bins.map((bin) => [scales.x(bin.meanPredicted), scales.y(bin.fractionPositive)]),
      { stroke: color, 'stroke-width': 2 },
    ),
    ...points,
    ...renderLegend(FRAME, [
      { label: 'model', color },
      { label: 'perfectly calibrated', color: '#8c959f', dashed: true },
    ]),
  ]);
}
