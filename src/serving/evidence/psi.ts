/**
 * Population Stability Index of a numeric feature, Σ (r_i - c_i) ln(r_i / c_i) over bins, with
 * the bins and the empty-bin fill Evidently uses (evidently/legacy/calculations/stattests/
 * utils.py `get_binned_data`, psi.py):
 * - more than 20 distinct reference values: equal-width bins spanning both samples together,
 *   as many as numpy's Sturges rule gives for their combined size (Evidently's `n_bins`
 *   argument is never used); otherwise one bin per distinct value;
 * - an empty bin gets 0.0001, or a millionth of the smallest non-empty share when that share is
 *   itself <= 0.0001, so the logarithm stays finite.
 */

export interface PsiOptions {
  /** A fixed number of equal-width bins instead of Sturges' rule. */
  bins?: number;
}

const MAX_DISTINCT_FOR_VALUE_BINS = 20;
const EMPTY_BIN_SHARE = 0.0001;

/** Inputs must be finite numbers and non-empty. */
export function psi(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: PsiOptions = {},
): number {
  const [referenceShares, currentShares] =
    new Set(Array.from(reference)).size > MAX_DISTINCT_FOR_VALUE_BINS
      ? histogramShares(reference, current, options.bins)
      : valueShares(reference, current);
  fillEmptyBins(referenceShares);
  fillEmptyBins(currentShares);
  let sum = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i]!;
    const c = currentShares[i]!;
    sum += (r - c) * Math.log(r / c);
  }
  return sum;
}

function histogramShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins: number | undefined,
): [Float64Array, Float64Array] {
  const edges = binEdges(reference, current, bins);
  return [binShares(reference, edges), binShares(current, edges)];
}

/** numpy.histogram_bin_edges(concat(reference, current), bins ?? 'sturges'). */
export function binEdges(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins?: number,
): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const sample of [reference, current]) {
    for (let i = 0; i < sample.length; i++) {
      min = Math.min(min, sample[i]!);
      max = Math.max(max, sample[i]!);
    }
  }
  if (min === max) [min, max] = [min - 0.5, max + 0.5];
  const size = reference.length + current.length;
  const sturgesWidth = (max - min) / (Math.log2(size) + 1);
  const count = bins ?? Math.ceil((max - min) / sturgesWidth);
  const step = (max - min) / count;
  const edges = Float64Array.from({ length: count + 1 }, (_, i) => i * step + min);
  edges[count] = max;
  return edges;
}

/** Share of `values` in each [edge_i, edge_i+1), the last bin closed, as numpy.histogram. */
function binShares(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  const shares = new Float64Array(edges.length - 1);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.min(lastEdgeAtOrBelow(edges, values[i]!), shares.length - 1);
    if (bin >= 0) shares[bin] = shares[bin]! + 1;
  }
  return shares.map((count) => count / values.length);
}

function lastEdgeAtOrBelow(edges: Float64Array, value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function valueShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): [Float64Array, Float64Array] {
  const keys = [...new Set([...Array.from(reference), ...Array.from(current)])];
  const index = new Map(keys.map((key, i) => [key, i]));
  const shares = (values: ArrayLike<number>): Float64Array => {
    const result = new Float64Array(keys.length);
    for (let i = 0; i < values.length; i++) {
      const key = index.get(values[i]!)!;
      result[key] = result[key]! + 1;
    }
    return result.map((count) => count / values.length);
  };
  return [shares(reference), shares(current)];
}

function fillEmptyBins(shares: Float64Array): void {
  let smallest = Infinity;
  for (const share of shares) if (share > 0) smallest = Math.min(smallest, share);
  const fill = smallest <= EMPTY_BIN_SHARE ? smallest / 1e6 : EMPTY_BIN_SHARE;
  shares.forEach((share, i) => {
    if (share === 0) shares[i] = fill;
  });
}
