/**
 * The two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp(method='auto')
 * computes it (scipy 1.10): exact p-values while both samples have at most 10 000 values,
 * the one-sample Kolmogorov distribution at n = round(m·n / (m + n)) above that.
 */
import { WeftError } from '../../core/errors.js';
import { exactTwoSidedPValue, gcd } from './ks-exact.js';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';

export interface KsResult {
  /** The largest gap between the two empirical CDFs. */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** scipy's MAX_AUTO_N: the largest sample 'auto' still tries exactly. */
const MAX_EXACT_SIZE = 10_000;

/** @throws WeftError DATASET_INVALID when a sample is empty or holds a non-finite value. */
export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>): KsResult {
  const a = sortedFinite(reference, 'reference');
  const b = sortedFinite(current, 'current');
  const statistic = largestCdfGap(a, b);
  if (Math.max(a.length, b.length) <= MAX_EXACT_SIZE) {
    // scipy reports the statistic as h / lcm, the lattice point the p-value was computed for.
    const lcm = (a.length / gcd(a.length, b.length)) * b.length;
    const h = Math.round(statistic * lcm);
    const pValue = exactTwoSidedPValue(a.length, b.length, h);
    if (pValue !== null) return { statistic: h / lcm, pValue, method: 'exact' };
  }
  const [m, n] = a.length >= b.length ? [a.length, b.length] : [b.length, a.length];
  const effectiveSize = roundHalfToEven((m * n) / (m + n));
  return { statistic, pValue: kolmogorovSurvival(effectiveSize, statistic), method: 'asymptotic' };
}

function sortedFinite(values: ArrayLike<number>, name: string): Float64Array {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) {
    throw new WeftError(
      'DATASET_INVALID',
      `failed to run the KS test: the ${name} sample is empty`,
    );
  }
  if (!Number.isFinite(sorted[0]!) || !Number.isFinite(sorted[sorted.length - 1]!)) {
    throw new WeftError(
      'DATASET_INVALID',
      `failed to run the KS test: the ${name} sample holds NaN or infinite values; drop them first`,
    );
  }
  return sorted;
}

/**
 * max |F_a(v) - F_b(v)| over every value v, with F(v) = #{x <= v} / size computed as scipy's
 * searchsorted(side='right') / size, so the result is bit-for-bit the same.
 */
function largestCdfGap(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let above = 0;
  let below = 0;
  while (i < a.length || j < b.length) {
    const value = Math.min(a[i] ?? Infinity, b[j] ?? Infinity);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    const gap = i / a.length - j / b.length;
    if (gap > above) above = gap;
    if (-gap > below) below = -gap;
  }
  return Math.max(above, below);
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}
