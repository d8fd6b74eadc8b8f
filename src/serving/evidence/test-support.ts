/** Shared by the tests of this folder: seeded normal samples. */
import { Random } from '../../core/random.js';

/** `size` draws from N(mean, sd²) by Box-Muller, the same for the same seed. */
export function normalSample(size: number, seed: number, mean = 0, sd = 1): Float64Array {
  const random = new Random(seed);
  return Float64Array.from({ length: size }, () => {
    const u = 1 - random.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  });
}

/** The sample rounded to `decimals`, so it has ties. */
export function rounded(values: Float64Array, decimals: number): Float64Array {
  const scale = 10 ** decimals;
  return values.map((value) => Math.round(value * scale) / scale);
}
