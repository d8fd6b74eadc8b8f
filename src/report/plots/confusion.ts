/** Confusion matrix as a heat map: rows are the true class, columns the predicted one. */
import type { ClassificationMetrics } from '../../evaluate/types.js';
import { formatPercent } from '../format.js';
import { TEXT_COLOR, svgDocument, svgShape, svgText, truncateLabel, coordinate } from './svg.js';

const LEFT = 150;
const TOP = 64;
const LIGHT: [number, number, number] = [255, 255, 255];
const DARK: [number, number, number] = [8, 81, 156];

export function renderConfusionPlot(metrics: ClassificationMetrics): string | null {
  const { classes } = metrics;
  if (classes.length === 0) return null;
  const cell = Math.max(16, Math.min(64, Math.floor(360 / classes.length)));
  const side = cell * classes.length;
  const cells = classes.flatMap((actual, row) => {
    const counts = metrics.confusionMatrix[row] ?? [];
    const total = counts.reduce((sum, count) => sum + count, 0);
    return classes.flatMap((predicted, column) => {
      const count = counts[column] ?? 0;
      // Shading by share of the true class makes a poorly recalled small class as visible as a big one.
      const share = total === 0 ? 0 : count / total;
      const tooltip = `actual ${actual}, predicted ${predicted}: ${count} rows (${formatPercent(share)} of ${actual})`;
      return renderCell([LEFT + column * cell, TOP + row * cell], cell, count, share, tooltip);
    });
  });
  return svgDocument(LEFT + side + 24, TOP + side + 56, 'Confusion matrix', [
    ...cells,
    ...renderClassLabels(classes, cell),
    svgText(LEFT + side / 2, TOP + side + 42, 'Predicted class', { 'text-anchor': 'middle' }),
    svgText(LEFT - 8, TOP - 10, 'Actual class', { 'text-anchor': 'end' }),
  ]);
}

function renderCell(
  [x, y]: [number, number],
  size: number,
  count: number,
  share: number,
  tooltip: string,
): string[] {
  const square = { x, y, width: size, height: size, fill: shade(share), stroke: '#ffffff' };
  return [
    svgShape('rect', square, tooltip),
    svgText(x + size / 2, y + size / 2 + 4, String(count), {
      'text-anchor': 'middle',
      'font-size': coordinate(Math.min(12, size / 3)),
      fill: share > 0.55 ? '#ffffff' : TEXT_COLOR,
    }),
  ];
}

function renderClassLabels(classes: string[], cell: number): string[] {
  const bottom = TOP + cell * classes.length;
  const columnChars = Math.max(3, Math.floor(cell / 7));
  return classes.flatMap((name, index) => {
    const middle = index * cell + cell / 2;
    const rowLabel = truncateLabel(name, 20);
    const columnLabel = truncateLabel(name, columnChars);
    return [
      svgText(
        LEFT - 8,
        TOP + middle + 4,
        rowLabel,
        { 'text-anchor': 'end' },
        tooltipIfCut(name, rowLabel),
      ),
      svgText(
        LEFT + middle,
        bottom + 18,
        columnLabel,
        { 'text-anchor': 'middle' },
        tooltipIfCut(name, columnLabel),
      ),
    ];
  });
}

function tooltipIfCut(name: string, label: string): string | undefined {
  return name === label ? undefined : name;
}

function shade(share: number): string {
  const channels = LIGHT.map((light, i) =>
    Math.round(light + ((DARK[i] ?? light) - light) * share),
  );
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
