/**
 * Dynamic batching: coalesces concurrent requests into one call of `run` and hands each request
 * its own result back.
 *
 * Items queue first in, first out. The next batch is the longest run of queued items, from the
 * head, whose rows fit in `maxBatchSize`. It starts as soon as a slot is free (fewer than
 * `maxConcurrentBatches` batches running) and either
 *   - it is full: its rows reach `maxBatchSize` exactly, or the next queued item would not fit
 *     (that item then heads the next batch), or
 *   - `maxLatencyMs` have passed since its head item was submitted. The deadline belongs to that
 *     item: later arrivals never move it, and a batch that is not full never starts before it.
 * An item with more rows than `maxBatchSize` is never split and never merged: it runs alone.
 * While every slot is busy the queue keeps filling, so the batch that starts when a slot frees
 * is as large as the wait allowed.
 *
 * Latency bound (tested exactly in batcher.property.test.ts). Let x be submitted at time s while
 * `ahead` rows wait in the queue, with `ahead` = 0 or `ahead` + rows(x) <= maxBatchSize. Then x
 * is in the next batch to start, and that batch starts no later than max(s + maxLatencyMs, free),
 * where free = s if fewer than maxConcurrentBatches batches are running at s, else the earliest
 * time one of those finishes. So x settles within
 *   maxLatencyMs + its own batch's run                   when a slot is free at s, and
 *   max(maxLatencyMs, free - s) + its own batch's run    when all slots are busy,
 * which with one slot is at most max(maxLatencyMs, the run of the batch running at s) + its own
 * run: the window collects while that batch runs, so the two waits overlap. More rows than that
 * queued ahead means requests arrive faster than the model answers them; no batcher can bound
 * that wait, and the queue-delay metric (`onBatch`) is how it shows.
 */
import { WeftError } from '../../core/errors.js';

/** Time in milliseconds and timers; tests pass a fake one. */
export interface BatchClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What one batch was, for the batch-size and queue-delay metrics. */
export interface BatchInfo {
  rows: number;
  items: number;
  /** Per item, in batch order: milliseconds from submit() to the batch's start. */
  queueDelaysMs: number[];
}

export interface BatcherOptions<T, R> {
  maxBatchSize: number;
  maxLatencyMs: number;
  /** Batches allowed to run at once; 1 by default. */
  maxConcurrentBatches?: number;
  /** Rows an item adds to a batch: a whole number, 0 or more. */
  rowsOf: (item: T) => number;
  /** Runs one batch; must return one result per item, in the items' order. */
  run: (items: T[]) => Promise<R[]>;
  clock?: BatchClock;
  /** Called as each batch starts. If it throws, that batch fails with the error. */
  onBatch?: (info: BatchInfo) => void;
}

export interface Batcher<T, R> {
  /** Settles with the item's own result, or with the error of the batch it ran in. */
  submit(item: T): Promise<R>;
  /** Resolves once everything submitted so far has settled. */
  drain(): Promise<void>;
  /** Rejects later submits; what is queued still runs. */
  close(): void;
}

interface Queued<T, R> {
  item: T;
  rows: number;
  submittedAt: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

const systemClock: BatchClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createBatcher<T, R>(options: BatcherOptions<T, R>): Batcher<T, R> {
  const { maxBatchSize, maxLatencyMs, rowsOf, run, onBatch } = options;
  const maxConcurrent = options.maxConcurrentBatches ?? 1;
  validateLimits(maxBatchSize, maxLatencyMs, maxConcurrent);
  const clock = options.clock ?? systemClock;
  const queue: Queued<T, R>[] = [];
  let running = 0;
  let unsettled = 0;
  let closed = false;
  let timer: { at: number; handle: unknown } | undefined;
  let drainWaiters: (() => void)[] = [];

  function pump(): void {
    while (running < maxConcurrent) {
      const count = countReady(queue, clock.now(), maxBatchSize, maxLatencyMs);
      if (count === 0) break;
      void runBatch(queue.splice(0, count));
    }
    armTimer();
  }

  // Only the head's deadline matters, and only while a slot is free to act on it.
  function armTimer(): void {
    const head = queue[0];
    const at = head && running < maxConcurrent ? head.submittedAt + maxLatencyMs : undefined;
    if (timer?.at === at) return;
    if (timer) clock.clearTimeout(timer.handle);
    timer = undefined;
    if (at === undefined) return;
    // A system timer may fire a little early; pump() then finds the window open and re-arms.
    const handle = clock.setTimeout(
      () => {
        timer = undefined;
        pump();
      },
      Math.max(0, at - clock.now()),
    );
    timer = { at, handle };
  }

  async function runBatch(batch: Queued<T, R>[]): Promise<void> {
    running += 1;
    try {
      const startedAt = clock.now();
      const rows = batch.reduce((sum, queued) => sum + queued.rows, 0);
      const queueDelaysMs = batch.map((queued) => startedAt - queued.submittedAt);
      onBatch?.({ rows, items: batch.length, queueDelaysMs });
      const results = await run(batch.map((queued) => queued.item));
      if (!Array.isArray(results) || results.length !== batch.length) {
        throw new WeftError(
          'MODEL_INVALID',
          `failed to run batch of ${batch.length} requests: run returned ${Array.isArray(results) ? results.length : 'no array of'} results; it must return one per request, in order`,
        );
      }
      batch.forEach((queued, index) => queued.resolve(results[index] as R));
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    } finally {
      running -= 1;
      unsettled -= batch.length;
      pump();
      if (unsettled === 0) notifyDrained();
    }
  }

  function notifyDrained(): void {
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    submit(item) {
      if (closed) {
        return Promise.reject(
          new WeftError('INTERRUPTED', 'failed to queue request: the batcher is closed'),
        );
      }
      let rows: number;
      try {
        rows = rowsOf(item);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (!Number.isInteger(rows) || rows < 0) {
        const problem = `rowsOf gave ${rows}, not a whole number of rows`;
        return Promise.reject(new WeftError('USAGE', `failed to queue request: ${problem}`));
      }
      unsettled += 1;
      const settled = new Promise<R>((resolve, reject) => {
        queue.push({ item, rows, submittedAt: clock.now(), resolve, reject });
      });
      pump();
      return settled;
    },
    drain() {
      if (unsettled === 0) return Promise.resolve();
      return new Promise<void>((resolve) => drainWaiters.push(resolve));
    },
    close() {
      closed = true;
    },
  };
}

/** How many queued items make up the next batch at `now`; 0 while its window is still open. */
function countReady(
  queue: readonly { rows: number; submittedAt: number }[],
  now: number,
  maxBatchSize: number,
  maxLatencyMs: number,
): number {
  const head = queue[0];
  if (!head) return 0;
  let rows = head.rows;
  let count = 1;
  for (let next = queue[count]; next && rows + next.rows <= maxBatchSize; next = queue[count]) {
    rows += next.rows;
    count += 1;
  }
  const isFull = rows >= maxBatchSize || count < queue.length;
  return isFull || now >= head.submittedAt + maxLatencyMs ? count : 0;
}

function validateLimits(maxBatchSize: number, maxLatencyMs: number, maxConcurrent: number): void {
  const problem =
    !Number.isInteger(maxBatchSize) || maxBatchSize < 1
      ? `maxBatchSize must be a whole number of rows, 1 or more (got ${maxBatchSize})`
      : !Number.isFinite(maxLatencyMs) || maxLatencyMs < 0
        ? `maxLatencyMs must be 0 or more milliseconds (got ${maxLatencyMs})`
        : !Number.isInteger(maxConcurrent) || maxConcurrent < 1
          ? `maxConcurrentBatches must be a whole number, 1 or more (got ${maxConcurrent})`
          : undefined;
  if (problem) throw new WeftError('USAGE', `failed to create batcher: ${problem}`);
}
