/**
 * The few special functions the drift tests need: log-gamma and the chi-squared survival
 * function (the upper regularized incomplete gamma function), accurate to ~1e-13 relative so
 * p-values agree with scipy's cephes to far better than any threshold cares about.
 */

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes 3rd ed. §6.1 / Godfrey's coefficients).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (shifted + i);
  const t = shifted + 7.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

/** P(X >= statistic) for X ~ chi-squared with `degreesOfFreedom` (scipy.stats.chi2.sf). */
export function chiSquaredSurvival(statistic: number, degreesOfFreedom: number): number {
  return upperRegularizedGamma(degreesOfFreedom / 2, statistic / 2);
}

/** Q(a, x) = Γ(a, x) / Γ(a): a series below x = a + 1, a continued fraction above. */
export function upperRegularizedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  // exp(-x) x^a / Γ(a), the factor both expansions share.
  const prefactor = Math.exp(a * Math.log(x) - x - logGamma(a));
  return x < a + 1
    ? 1 - prefactor * lowerGammaSeries(a, x)
    : prefactor * upperGammaContinuedFraction(a, x);
}

function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS && Math.abs(term) >= Math.abs(sum) * EPSILON; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return sum;
}

/** Modified Lentz evaluation of the continued fraction for Γ(a, x) e^x x^-a. */
function upperGammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let result = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return result;
}
