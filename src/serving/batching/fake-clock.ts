import type { BatchClock } from './batcher.js';

/**
 * A clock for tests: time moves only when `run` says so, timers fire in time order (in the order
 * they were set when due together), and promise chains a timer starts finish before the next
 * timer fires, all at the timer's instant.
 */
export class FakeClock implements BatchClock {
  #now = 0;
  #lastId = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): number {
    this.#lastId += 1;
    this.#timers.set(this.#lastId, { at: this.#now + Math.max(0, ms), fn });
    return this.#lastId;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Calls `fn` at `at` (absolute time). */
  at(at: number, fn: () => void): void {
    this.setTimeout(fn, at - this.#now);
  }

  /**
   * Fires timers until none is left, or until the next one is due after `until`. Throws after
   * `maxTimers`, so code that re-arms a timer for the same instant fails fast instead of spinning.
   */
  async run(until = Infinity, maxTimers = 10_000): Promise<void> {
    await settlePromises();
    let fired = 0;
    for (let next = this.#nextDue(); next && next[1].at <= until; next = this.#nextDue()) {
      if (++fired > maxTimers)
        throw new Error(`more than ${maxTimers} timers fired; is one spinning?`);
      const [id, timer] = next;
      this.#timers.delete(id);
      this.#now = timer.at;
      timer.fn();
      await settlePromises();
    }
    if (until !== Infinity) this.#now = Math.max(this.#now, until);
  }

  #nextDue(): [number, { at: number; fn: () => void }] | undefined {
    let due: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.#timers) if (!due || entry[1].at < due[1].at) due = entry;
    return due;
  }
}

// setImmediate runs after every queued microtask, so promise chains that need no I/O are done.
function settlePromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
