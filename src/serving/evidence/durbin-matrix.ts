/**
 * Exact P(D_n <= d) for the two-sided one-sample Kolmogorov-Smirnov statistic by Durbin's
 * matrix method as Marsaglia, Tsang & Wang (2003) compute it: with d = (k - h) / n, the answer
 * is n!/n^n times entry (k, k) of H^n for a (2k-1)-square matrix H. Scaled by powers of 2^128
 * on the way, as scipy's `_kolmogn_DMTW` does, because H^n overflows long before n!/n^n
 * brings it back down.
 */

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const size = 2 * k - 1;
  const power = matrixPower(durbinMatrix(size, k - nd), n, k - 1);
  let p = power.matrix[(k - 1) * size + (k - 1)]!;
  let exponent = power.exponent;
  // Multiply by n!/n^n one factor at a time, scaling up before p underflows.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return Math.min(1, Math.max(0, scaleByPowerOfTwo(p, exponent)));
}

/** H of Durbin (1968), row-major: H[i][j] = 1/(i-j+1)! below the superdiagonal, edges adjusted. */
function durbinMatrix(size: number, h: number): Float64Array {
  const matrix = new Float64Array(size * size);
  const firstColumn = new Float64Array(size);
  const inverseFactorials = new Float64Array(size);
  let factor = 1;
  for (let j = 1; j <= size; j++) {
    inverseFactorials[j - 1] = factor;
    factor /= j;
    firstColumn[j - 1] = (1 - h ** j) * factor;
  }
  const corner = Math.max(2 * h - 1, 0) ** size - 2 * h ** size;
  firstColumn[size - 1] = (1 + corner) * factor;
  for (let column = 1; column < size; column++) {
    for (let row = column - 1; row < size; row++) {
      matrix[row * size + column] = inverseFactorials[row - column + 1]!;
    }
  }
  for (let row = 0; row < size; row++) matrix[row * size] = firstColumn[row]!;
  for (let column = 0; column < size; column++) {
    matrix[(size - 1) * size + column] = firstColumn[size - 1 - column]!;
  }
  return matrix;
}

/** base^n by squaring; `exponent` is the power of two the result must be multiplied by. */
function matrixPower(
  base: Float64Array,
  n: number,
  watched: number,
): { matrix: Float64Array; exponent: number } {
  const size = Math.round(Math.sqrt(base.length));
  let result = identity(size);
  let square = base;
  let exponent = 0;
  let squareExponent = 0;
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      result = multiply(result, square, size);
      exponent += squareExponent;
    }
    square = multiply(square, square, size);
    squareExponent *= 2;
    if (Math.abs(square[watched * size + watched]!) > SCALE_UP) {
      for (let i = 0; i < square.length; i++) square[i] = square[i]! / SCALE_UP;
      squareExponent += SCALE_EXPONENT;
    }
  }
  return { matrix: result, exponent };
}

function identity(size: number): Float64Array {
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) matrix[i * size + i] = 1;
  return matrix;
}

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let inner = 0; inner < size; inner++) {
      const left = a[row * size + inner]!;
      if (left === 0) continue;
      for (let column = 0; column < size; column++) {
        const cell = row * size + column;
        product[cell] = product[cell]! + left * b[inner * size + column]!;
      }
    }
  }
  return product;
}

/** p · 2^exponent without overflowing or underflowing on the way (Math has no ldexp). */
function scaleByPowerOfTwo(p: number, exponent: number): number {
  let scaled = p;
  let left = exponent;
  while (left > 512) {
    scaled *= 2 ** 512;
    left -= 512;
  }
  while (left < -512) {
    scaled *= 2 ** -512;
    left += 512;
  }
  return scaled * 2 ** left;
}
