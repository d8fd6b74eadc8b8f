/**
 * Hand-written SVG: a few primitives that every plot shares. Coordinates are rounded to two
 * decimals so the same input always gives the same bytes, and all text goes through XML escaping.
 */
import { escapeXmlText, xmlElement, type XmlAttributes } from '../xml.js';

export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Scale = (value: number) => number;

/** Colour-blind-safe categorical colours (Okabe–Ito), one per curve. */
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#000000',
];

export const TEXT_COLOR = '#24292f';
export const GRID_COLOR = '#d0d7de';

/** Two decimals at most, no trailing zeros, never `-0`. */
export function coordinate(value: number): string {
  const rounded = Number(value.toFixed(2));
  return String(rounded === 0 ? 0 : rounded);
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/**
 * A standalone document. The white background keeps dark text readable when the image is
 * shown on a dark page (GitHub's dark theme).
 */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  const content = [
    xmlElement('title', {}, escapeXmlText(title)),
    xmlElement('rect', { width, height, fill: '#ffffff' }),
    svgText(width / 2, 24, title, {
      'text-anchor': 'middle',
      'font-size': 15,
      'font-weight': 'bold',
    }),
    ...body,
  ];
  const root = xmlElement(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'font-family': 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif',
      'font-size': 12,
      fill: TEXT_COLOR,
    },
    `\n${content.join('\n')}\n`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

/** A label; a tooltip (e.g. the full text of a truncated label) shows on hover. */
export function svgText(
  x: number,
  y: number,
  text: string,
  attributes: XmlAttributes = {},
  tooltip?: string,
): string {
  const title = tooltip === undefined ? '' : xmlElement('title', {}, escapeXmlText(tooltip));
  return xmlElement(
    'text',
    { x: coordinate(x), y: coordinate(y), ...attributes },
    `${title}${escapeXmlText(text)}`,
  );
}

export function svgLine(
  from: [number, number],
  to: [number, number],
  attributes: XmlAttributes,
): string {
  const [x1, y1] = from.map(coordinate);
  const [x2, y2] = to.map(coordinate);
  return xmlElement('line', { x1, y1, x2, y2, ...attributes });
}

export function svgPolyline(points: Array<[number, number]>, attributes: XmlAttributes): string {
  const text = points.map(([x, y]) => `${coordinate(x)},${coordinate(y)}`).join(' ');
  return xmlElement('polyline', { points: text, fill: 'none', ...attributes });
}

/** Any element; a tooltip becomes a `<title>` child, which is how SVG viewers show hover text. */
export function svgShape(name: string, attributes: XmlAttributes, tooltip?: string): string {
  const content =
    tooltip === undefined ? undefined : xmlElement('title', {}, escapeXmlText(tooltip));
  return xmlElement(name, attributes, content);
}

/** Long names are cut so labels stay inside the plot; the full name is in the tooltip. */
export function truncateLabel(label: string, maxLength: number): string {
  const chars = [...label];
  return chars.length <= maxLength ? label : `${chars.slice(0, maxLength - 1).join('')}…`;
}
