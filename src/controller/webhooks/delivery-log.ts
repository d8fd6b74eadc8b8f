export interface DeliveryLogOptions {
  /** Most ids remembered; the oldest is forgotten first. Default 10,000. */
  maxEntries?: number;
  /** How long an id is remembered. Default 24 h, longer than hosts keep redelivering. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Recently seen delivery ids, so a host's redelivery (or a replayed request) triggers nothing
 * twice. Bounded in both count and age so a flood of deliveries cannot grow it without limit.
 * Ids are kept in the order they were recorded, which is also their age order: expiry and
 * eviction both only ever remove from the front.
 */
export class DeliveryLog {
  readonly #recordedAt = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: DeliveryLogOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
    if (!(this.#maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  get size(): number {
    this.#forgetExpired();
    return this.#recordedAt.size;
  }

  has(id: string): boolean {
    this.#forgetExpired();
    return this.#recordedAt.has(id);
  }

  /** Remembers `id` as seen now (moving it to the back if it was already known). */
  add(id: string): void {
    this.#recordedAt.delete(id);
    this.#recordedAt.set(id, this.#now());
    this.#forgetExpired();
    for (const oldest of this.#recordedAt.keys()) {
      if (this.#recordedAt.size <= this.#maxEntries) break;
      this.#recordedAt.delete(oldest);
    }
  }

  #forgetExpired(): void {
    const cutoff = this.#now() - this.#ttlMs;
    for (const [id, recordedAt] of this.#recordedAt) {
      if (recordedAt > cutoff) break;
      this.#recordedAt.delete(id);
    }
  }
}
