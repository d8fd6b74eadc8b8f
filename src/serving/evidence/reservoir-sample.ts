/**
 * A uniform random sample of bounded size from an unbounded stream (Vitter's Algorithm R):
 * after `seen` offers, each offered item is kept with probability capacity / seen. Seeded, so
 * the same stream always leaves the same sample.
 */
import { WeftError } from '../../core/errors.js';
import { Random } from '../../core/random.js';

export interface Timestamped<T> {
  /** Milliseconds since the epoch, as the caller passed it. */
  at: number;
  value: T;
}

export class ReservoirSample<T> {
  private readonly items: Timestamped<T>[] = [];
  private readonly random: Random;
  private offered = 0;

  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new WeftError(
        'USAGE',
        `failed to create a reservoir sample: capacity must be a positive integer, got ${capacity}`,
      );
    }
    this.random = new Random(seed);
  }

  /** Items offered so far, kept or not. */
  get seen(): number {
    return this.offered;
  }

  get size(): number {
    return this.items.length;
  }

  /** `build` runs only for an item that is kept, so skipped rows cost nothing. */
  offer(at: number, build: () => T): void {
    this.offered++;
    if (this.items.length < this.capacity) {
      this.items.push({ at, value: build() });
      return;
    }
    const slot = this.random.int(this.offered);
    if (slot < this.capacity) this.items[slot] = { at, value: build() };
  }

  /**
   * Kept items with fromMs <= at <= toMs. A uniform sample of the items offered in that window,
   * but of a size proportional to the window's share of everything offered so far.
   */
  sampleWithin(fromMs: number, toMs: number): Timestamped<T>[] {
    return this.items.filter((item) => item.at >= fromMs && item.at <= toMs);
  }
}
