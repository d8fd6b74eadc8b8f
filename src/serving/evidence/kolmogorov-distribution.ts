/**
 * P(D_n >= d) for the two-sided one-sample Kolmogorov-Smirnov statistic D_n: what
 * scipy.stats.kstwo.sf(d, n) returns, and so what ks_2samp's asymptotic p-value is. The method
 * for each (n, d) region is Simard & L'Ecuyer's (2011), with scipy's cut-offs: Ruben-Gambino's
 * closed forms at both ends, Durbin's exact matrix where it is affordable, the Pelz-Good
 * expansion for small d at large n, and twice the one-sided Smirnov tail elsewhere.
 */
import { durbinCdf } from './durbin-matrix.js';
import { logGamma } from './special-functions.js';

const PI_SQUARED = Math.PI ** 2;
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
// Stirling's series coefficients B_2j / (2j (2j - 1)) for j = 8..1, highest power first.
const STIRLING = [
  -3617 / 122400,
  1 / 156,
  -691 / 360360,
  1 / 1188,
  -1 / 1680,
  1 / 1260,
  -1 / 360,
  1 / 12,
];

export function kolmogorovSurvival(n: number, d: number): number {
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) return clip(1 - rubenGambinoCdf(n, t));
  if (t >= n - 1) return clip(2 * (1 - d) ** n);
  if (d >= 0.5) return clip(2 * smirnovSurvival(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    // scipy switches to Pomeranz's recursion above n d^2 = 0.754693; both are exact.
    return clip(nd2 <= 4 ? 1 - durbinCdf(n, d) : 2 * smirnovSurvival(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip(2 * smirnovSurvival(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clip(1 - cdf);
}

/** P(D_n <= t/n) = n!/n^n (2t - 1)^n for 1/2 <= t <= 1. */
function rubenGambinoCdf(n: number, t: number): number {
  if (t <= 0.5) return 0;
  if (n > 140) return Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
  let product = 1;
  for (let i = 1; i <= n; i++) product *= i * (1 / n) * (2 * t - 1);
  return product;
}

/** ln(n!/n^n) by Stirling's series with n ln n taken out up front, so nothing cancels. */
function logFactorialOverPower(n: number): number {
  const reciprocal = 1 / n;
  const x = reciprocal / n;
  const series = STIRLING.reduce((sum, coefficient) => sum * x + coefficient, 0);
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + reciprocal * series;
}

/**
 * P(D+_n >= d), the one-sided Smirnov tail, exactly by Birnbaum & Tingey's sum
 * d Σ_{v=0}^{⌊n(1-d)⌋} C(n,v) (d + v/n)^(v-1) (1 - d - v/n)^(n-v), each term in logs.
 */
export function smirnovSurvival(n: number, d: number): number {
  const last = Math.floor(n * (1 - d));
  const logNFactorial = logGamma(n + 1);
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const p = d + v / n;
    const q = 1 - p;
    if (q <= 0) continue;
    const logChoose = logNFactorial - logGamma(v + 1) - logGamma(n - v + 1);
    sum += Math.exp(logChoose + (v - 1) * Math.log(p) + (n - v) * Math.log(q));
  }
  return d * sum;
}

/**
 * Pelz & Good's (1976) expansion K0 + K1/√n + K2/n + K3/n^1.5 of P(D_n <= d) in z = d√n,
 * each K a Jacobi-theta series over odd m summed by Horner in q^(8k).
 */
function pelzGoodCdf(n: number, d: number): number {
  const z = Math.sqrt(n) * d;
  const [z2, z4, z6] = [z ** 2, z ** 4, z ** 6];
  const qLog = -PI_SQUARED / 8 / z2;
  if (qLog < -708) return 0;
  const q = Math.exp(qLog);
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k--) {
    const qPower = q ** (8 * k);
    const coefficients = pelzGoodCoefficients(z, (2 * k - 1) ** 2);
    for (let i = 0; i < 4; i++) terms[i] = terms[i]! * qPower + coefficients[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i]! * q * SQRT_TWO_PI) / divisors[i]!;
  // The terms of K2 and K3 that run over all integers k, not only odd ones.
  const qAll = Math.exp(-PI_SQUARED / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k >= 1; k--) {
    const weight = k * k * qAll ** (k * k);
    k2Extra += weight;
    k3Extra += (3 * z2 - PI_SQUARED * k * k) * weight;
  }
  terms[2] = terms[2]! + (k2Extra * PI_SQUARED * SQRT_TWO_PI) / (-36 * z ** 3);
  terms[3] = terms[3]! + (k3Extra * PI_SQUARED * SQRT_TWO_PI) / (216 * z6);
  return terms.reduce((sum, term, i) => sum + term / n ** (i / 2), 0);
}

/** The k-th odd term's coefficients of K0..K3, m2 = (2k - 1)^2. */
function pelzGoodCoefficients(z: number, m2: number): number[] {
  const [z2, z4, z6] = [z ** 2, z ** 4, z ** 6];
  const [pi2, pi4, pi6] = [PI_SQUARED, PI_SQUARED ** 2, PI_SQUARED ** 3];
  return [
    1,
    -z2 + (pi2 / 4) * m2,
    6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * pi2 * m2) / 4 + (pi4 * (1 - 2 * z2) * m2 ** 2) / 16,
    -30 * z6 -
      90 * z ** 8 +
      (pi2 * (135 * z4 - 96 * z6) * m2) / 4 +
      (pi4 * (-60 * z2 + 212 * z4) * m2 ** 2) / 16 +
      (pi6 * (5 - 30 * z2) * m2 ** 3) / 64,
  ];
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
