/**
 * Exact two-sided p-values of the two-sample Kolmogorov-Smirnov statistic, as scipy's
 * ks_2samp computes them in its 'exact' mode. The statistic D = h / lcm(m, n) is the largest
 * gap between the two empirical CDFs; P(D >= h / lcm) is the share of monotone lattice paths
 * from (0, 0) to (m, n) that touch the band |x/m - y/n| >= h / lcm.
 */

/**
 * P(D >= h/lcm) for samples of sizes m and n, or null when rounding has pushed the result
 * outside [0, 1] (scipy then falls back to the asymptotic distribution).
 */
export function exactTwoSidedPValue(m: number, n: number, h: number): number | null {
  if (h === 0) return 1;
  const p = m === n ? probabilityOutsideSquare(n, h) : probabilityOutsideBand(m, n, h);
  return p >= 0 && p <= 1 ? p : null;
}

/**
 * Equal sizes: 2 Σ_k (-1)^k C(2n, n - kh) / C(2n, n), as a Horner-like product so the
 * alternating sum does not cancel.
 */
function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Hodges' inside method, carried as 1 - p (Viehmann 2021, arXiv:2102.08037) so small p-values
 * keep their precision: column by column over x, A(x, y) is the probability that a random path
 * to (x, y) has already left the band; cells outside the band are 1.
 */
function probabilityOutsideBand(sizeA: number, sizeB: number, h: number): number {
  const [m, n] = sizeA >= sizeB ? [sizeA, sizeB] : [sizeB, sizeA];
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  let low = 0;
  let high = Math.min(Math.ceil(h / mg), n + 1);
  let length = high - low;
  const column = new Float64Array(Math.min(2 * high + 2, n + 1)).fill(1);
  column.fill(0, low, high);
  for (let x = 1; x <= m; x++) {
    const previousLow = low;
    const previousLength = length;
    low = Math.min(Math.max(Math.floor((ng * x - h) / mg) + 1, 0), n);
    high = Math.min(Math.ceil((ng * x + h) / mg), n + 1);
    if (high <= low) return 1;
    let value = low === 0 ? 0 : 1;
    for (let offset = 0; offset < high - low; offset++) {
      const y = low + offset;
      const left = column[offset + low - previousLow] ?? 1;
      value = (left * x + value * y) / (x + y);
      column[offset] = value;
    }
    length = high - low;
    // Cells the window no longer covers lie above the band: already out.
    if (previousLength > length) column.fill(1, length, previousLength);
  }
  return column[high - low - 1]!;
}

export function gcd(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
