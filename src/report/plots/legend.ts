/** Legends and colours for plots with one curve per class. */
import { PALETTE, svgLine, svgText, truncateLabel, type Frame } from './svg.js';

export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
}

const LABEL_LENGTH = 20;
const ROW_HEIGHT = 18;

/** Past the palette's end colours repeat; a plot of that many classes is a sketch anyway. */
export function curveColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#000000';
}

/** Where the legend of `entries` rows ends, so a document can grow to hold a long one. */
export function legendBottom(frame: Frame, entries: number): number {
  return frame.top + 8 + entries * ROW_HEIGHT;
}

/** One row per entry to the right of the frame: a short stroke and its label. */
export function renderLegend(frame: Frame, entries: LegendEntry[]): string[] {
  const x = frame.left + frame.width + 16;
  return entries.flatMap((entry, index) => {
    const y = frame.top + 8 + index * ROW_HEIGHT;
    const stroke = {
      stroke: entry.color,
      'stroke-width': 2.5,
      'stroke-dasharray': entry.dashed ? '5 4' : undefined,
    };
    const label = truncateLabel(entry.label, LABEL_LENGTH);
    const tooltip = label === entry.label ? undefined : entry.label;
    return [svgLine([x, y], [x + 22, y], stroke), svgText(x + 28, y + 4, label, {}, tooltip)];
  });
}
