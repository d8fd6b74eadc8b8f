/** Axes with grid lines, tick labels and axis titles around a plot frame. */
import {
  GRID_COLOR,
  coordinate,
  linearScale,
  svgLine,
  svgText,
  type Frame,
  type Scale,
} from './svg.js';

export interface Axis {
  domain: [number, number];
  ticks: number[];
  label: string;
}

export interface Scales {
  x: Scale;
  y: Scale;
}

/** Five equal steps from 0 to 1: probabilities and rates. */
export const UNIT_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

const GRID = { stroke: GRID_COLOR, 'stroke-width': 1 };

export function frameScales(frame: Frame, x: Axis, y: Axis): Scales {
  return {
    x: linearScale(x.domain, [frame.left, frame.left + frame.width]),
    // SVG's y grows downwards; values grow upwards.
    y: linearScale(y.domain, [frame.top + frame.height, frame.top]),
  };
}

export function renderAxes(frame: Frame, x: Axis, y: Axis): string[] {
  return [...renderXAxis(frame, x), ...renderYAxis(frame, y)];
}

export function renderXAxis(frame: Frame, x: Axis): string[] {
  const scale = linearScale(x.domain, [frame.left, frame.left + frame.width]);
  const bottom = frame.top + frame.height;
  return [
    ...x.ticks.flatMap((tick) => [
      svgLine([scale(tick), frame.top], [scale(tick), bottom], GRID),
      svgText(scale(tick), bottom + 16, formatTick(tick), { 'text-anchor': 'middle' }),
    ]),
    svgText(frame.left + frame.width / 2, bottom + 36, x.label, { 'text-anchor': 'middle' }),
  ];
}

export function renderYAxis(frame: Frame, y: Axis): string[] {
  const scale = linearScale(y.domain, [frame.top + frame.height, frame.top]);
  const right = frame.left + frame.width;
  const labelX = frame.left - 44;
  const labelY = frame.top + frame.height / 2;
  return [
    ...y.ticks.flatMap((tick) => [
      svgLine([frame.left, scale(tick)], [right, scale(tick)], GRID),
      svgText(frame.left - 6, scale(tick) + 4, formatTick(tick), { 'text-anchor': 'end' }),
    ]),
    svgText(labelX, labelY, y.label, {
      'text-anchor': 'middle',
      transform: `rotate(-90 ${coordinate(labelX)} ${coordinate(labelY)})`,
    }),
  ];
}

/** Tick values with at most three decimals, so 0.6000000000000001 reads 0.6. */
export function formatTick(value: number): string {
  const rounded = Number(value.toFixed(3));
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * An axis over `[low, high]` widened to round steps (1, 2 or 5 × 10^n), about `count` of them,
 * so the first and last tick sit on the frame's edges.
 */
export function niceAxis(low: number, high: number, count: number, label: string): Axis {
  if (!(high > low)) return niceAxis(low, low + 1, count, label);
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => (first + i) * step);
  return { domain: [first * step, last * step], ticks, label };
}
