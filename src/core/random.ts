/**
 * A tiny seeded PRNG (mulberry32). Math.random cannot be seeded, and bootstrap intervals and
 * permutation importances must come out the same on every run so evaluations are reproducible.
 * fast-check's `pure-rand` would do, but it is a dev dependency only.
 */
export class Random {
  // Kept a signed 32-bit integer (`| 0`) so V8 never boxes it: the bootstrap draws 10^8 numbers.
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n); each value's probability is off by less than n / 2^32. */
  int(n: number): number {
    return Math.floor((this.nextUint32() * n) / TWO_POW_32);
  }

  private nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

const TWO_POW_32 = 4294967296;

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace(
  values: { length: number; [index: number]: number },
  random: Random,
): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
}
