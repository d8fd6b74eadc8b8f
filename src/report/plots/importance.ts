/** Permutation importance as horizontal bars, most important on top, with ± std whiskers. */
import type { FeatureImportance, PermutationImportance } from '../../evaluate/types.js';
import { formatNumber } from '../format.js';
import { niceAxis, renderXAxis } from './axes.js';
import { curveColor } from './legend.js';
import {
  coordinate,
  linearScale,
  svgDocument,
  svgLine,
  svgShape,
  svgText,
  truncateLabel,
  type Frame,
} from './svg.js';

/** How many features the plot and the Markdown table show. */
export const TOP_FEATURES = 10;

const ROW = 30;
const BAR = 20;

export function renderImportancePlot(importance: PermutationImportance | null): string | null {
  const features = importance?.features.slice(0, TOP_FEATURES) ?? [];
  if (!importance || features.length === 0) return null;
  const frame: Frame = { left: 190, top: 44, width: 340, height: features.length * ROW };
  const low = Math.min(0, ...features.map((f) => f.mean - f.std));
  const high = Math.max(0, ...features.map((f) => f.mean + f.std));
  const axis = niceAxis(low, high, 5, `Mean drop in ${importance.scoring} when shuffled (± std)`);
  const x = linearScale(axis.domain, [frame.left, frame.left + frame.width]);
  const bars = features.flatMap((feature, index) =>
    renderBar(feature, frame.top + index * ROW, x, frame.left),
  );
  const zero = svgLine([x(0), frame.top], [x(0), frame.top + frame.height], {
    stroke: '#57606a',
    'stroke-width': 1,
  });
  return svgDocument(
    frame.left + frame.width + 30,
    frame.top + frame.height + 56,
    'Permutation importance',
    [...renderXAxis(frame, axis), ...bars, zero],
  );
}

function renderBar(
  feature: FeatureImportance,
  top: number,
  x: (value: number) => number,
  left: number,
): string[] {
  const middle = top + ROW / 2;
  const from = x(Math.min(0, feature.mean));
  const to = x(Math.max(0, feature.mean));
  const whisker = { stroke: '#24292f', 'stroke-width': 1.2 };
  const low = x(feature.mean - feature.std);
  const high = x(feature.mean + feature.std);
  const label = truncateLabel(feature.feature, 26);
  return [
    svgText(
      left - 8,
      middle + 4,
      label,
      { 'text-anchor': 'end' },
      label === feature.feature ? undefined : feature.feature,
    ),
    svgShape(
      'rect',
      {
        x: coordinate(from),
        y: middle - BAR / 2,
        width: coordinate(to - from),
        height: BAR,
        fill: curveColor(0),
      },
      `${feature.feature}: ${formatNumber(feature.mean)} ± ${formatNumber(feature.std)}`,
    ),
    svgLine([low, middle], [high, middle], whisker),
    svgLine([low, middle - 5], [low, middle + 5], whisker),
    svgLine([high, middle - 5], [high, middle + 5], whisker),
  ];
}
