/**
 * IEEE 754 half precision (OIP `FP16`) to and from JavaScript numbers. Node 20 has no
 * Float16Array, so FP16 tensors travel as Uint16Array of raw bits, which ONNX Runtime takes as is.
 */

const MIN_NORMAL = 2 ** -14;
/** Half-way from the largest half (65504) to 2^16: from here on, rounding gives infinity. */
const OVERFLOW = 65520;

/**
 * The half-precision bits nearest to `value` (round half to even, straight from the double so
 * nothing is rounded twice), or -1 when the value is not finite or rounds to infinity.
 */
export function toHalfBits(value: number): number {
  if (!Number.isFinite(value)) return -1;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= OVERFLOW) return -1;
  // Subnormals step by 2^-24; a result of 1024 is the smallest normal's bits, as it should be.
  if (magnitude < MIN_NORMAL) return sign | roundHalfEven(magnitude * 2 ** 24);
  let exponent = Math.floor(Math.log2(magnitude));
  // log2 may be off by one right at powers of two.
  if (2 ** exponent > magnitude) exponent -= 1;
  else if (2 ** (exponent + 1) <= magnitude) exponent += 1;
  const fraction = roundHalfEven((magnitude / 2 ** exponent - 1) * 1024);
  // A fraction rounded up to 1024 carries into the exponent, which the addition does.
  return sign | (((exponent + 15) << 10) + fraction);
}

/** The number half-precision `bits` stand for (±Infinity and NaN included). */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor + (floor & 1);
}
