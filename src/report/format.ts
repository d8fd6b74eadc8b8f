/**
 * Number formatting shared by the Markdown tables and the plots, fixed so the same input always
 * renders the same text whatever the locale.
 */
import type { Estimate } from '../evaluate/types.js';

const MISSING = '—';

/** Metric values: four decimals below 1, four significant digits above, integers as they are. */
export function formatNumber(value: number | null): string {
  if (value === null) return MISSING;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1) {
    const integerDigits = Math.floor(Math.log10(magnitude)) + 1;
    return value.toFixed(Math.max(0, 4 - integerDigits));
  }
  if (magnitude !== 0 && magnitude < 0.0001) return value.toExponential(1);
  return value.toFixed(4);
}

/** A change with its sign, so `+0.0100` and `-0.0100` read apart at a glance. */
export function formatSigned(delta: number | null): string {
  if (delta === null) return MISSING;
  if (delta === 0) return '0';
  const text = formatNumber(delta);
  return delta > 0 ? `+${text}` : text;
}

/** `[0.0100, 0.0500] (95%)`, or a dash when the bootstrap could not estimate it. */
export function formatInterval(estimate: Estimate): string {
  if (estimate.interval === null) return MISSING;
  const [lower, upper] = estimate.interval;
  return `[${formatNumber(lower)}, ${formatNumber(upper)}] (${formatPercent(estimate.level)})`;
}

export function formatPercent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** `name@version`, how the CLI spells a model version. */
export function formatModelVersion(model: { name: string; version: number }): string {
  return `${model.name}@${model.version}`;
}
