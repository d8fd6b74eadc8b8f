/** Percentile bootstrap intervals of the gaps between groups. */
import { WeftError } from '../../core/errors.js';
import type { Gaps, GroupTally } from './gaps.js';
import type { GroupLayout } from './groups.js';
import { Random } from '../../core/random.js';

export interface BootstrapOptions {
  /** Resamples; 0 skips the intervals. */
  samples: number;
  seed: number;
  /** Coverage of the interval, e.g. 0.95. */
  level: number;
}

export type GapIntervals = { [Name in keyof Gaps]: [number, number] | null };

/**
 * Resamples rows with replacement within each group, so every group keeps its size (a
 * stratified bootstrap: a small group never vanishes from a resample, which would leave its gap
 * undefined), recomputes the gaps from the tally, and takes the percentiles at `level`.
 * Seeded, so the same inputs always give the same intervals.
 *
 * @throws WeftError USAGE when the options are out of range.
 */
export function bootstrapGaps(
  layout: GroupLayout,
  tally: GroupTally,
  options: BootstrapOptions,
): GapIntervals {
  checkBootstrapOptions(options);
  const random = new Random(options.seed);
  const draws = {
    dp: [] as number[],
    ratio: [] as number[],
    odds: [] as number[],
    metric: [] as number[],
  };
  for (let sample = 0; sample < options.samples; sample++) {
    tally.clear();
    for (let g = 0; g < layout.names.length; g++) {
      const start = layout.offsets[g]!;
      const size = layout.offsets[g + 1]! - start;
      for (let i = 0; i < size; i++) tally.add(g, start + random.int(size));
    }
    const gaps = tally.gaps();
    draws.dp.push(gaps.demographicParityDifference);
    draws.ratio.push(gaps.demographicParityRatio);
    if (gaps.equalizedOddsDifference !== null) draws.odds.push(gaps.equalizedOddsDifference);
    draws.metric.push(gaps.metricGap);
  }
  return {
    demographicParityDifference: percentileInterval(draws.dp, options.level),
    demographicParityRatio: percentileInterval(draws.ratio, options.level),
    equalizedOddsDifference: percentileInterval(draws.odds, options.level),
    metricGap: percentileInterval(draws.metric, options.level),
  };
}

/** The central `level` interval of `values`, interpolating as numpy's default percentile. */
export function percentileInterval(values: number[], level: number): [number, number] | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const tail = (1 - level) / 2;
  return [quantile(sorted, tail), quantile(sorted, 1 - tail)];
}

function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (position - below) * (upper - lower);
}

function checkBootstrapOptions({ samples, level }: BootstrapOptions): void {
  if (!Number.isInteger(samples) || samples < 0) {
    throw new WeftError(
      'USAGE',
      `failed to bootstrap gaps: samples must be a whole number >= 0, got ${samples}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new WeftError(
      'USAGE',
      `failed to bootstrap gaps: level must be between 0 and 1, got ${level}`,
    );
  }
}
