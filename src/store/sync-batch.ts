import { open } from 'node:fs/promises';
import { errnoOf } from './store-io.js';

/**
 * fsyncs running in the background while files keep coming: few, so that stage commands'
 * own file operations do not queue behind them in libuv's pool of four threads.
 */
const BACKGROUND_SYNCS = 2;
/** At settle nothing else is waiting: as many as the pool runs at once. */
const SETTLE_SYNCS = 4;

/**
 * Published files whose fsync runs behind the writer and is waited for once. A pipeline run
 * stores an output per stage; waiting on the disk for each before the stage could finish made
 * a cold run of 100 stages wait on ~100 fsyncs in a row (on ext4 without a journal an fsync
 * also writes the new file's directories back). The run instead waits for all of them before it
 * writes weft.lock or registers a model, so what a finished run points at is on disk as before.
 * Until then a machine crash (not a crash of weft: the page cache outlives that) can leave such
 * a file torn; reads verify digests, so a torn object is reported and rebuilt, never handed out.
 */
export class SyncBatch {
  private readonly queue: string[] = [];
  private readonly workers = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  /** Queues a published file for its fsync, which starts in the background. */
  add(path: string): void {
    this.queue.push(path);
    if (this.workers.size < BACKGROUND_SYNCS) this.startWorker();
  }

  /** Waits until every file added so far is synced; throws the first failure (once). */
  async settle(): Promise<void> {
    while (this.workers.size < SETTLE_SYNCS && this.workers.size < this.queue.length) {
      this.startWorker();
    }
    while (this.workers.size > 0) await Promise.all(this.workers);
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure.error;
  }

  private startWorker(): void {
    const worker = this.drainQueue().finally(() => this.workers.delete(worker));
    this.workers.add(worker);
  }

  private async drainQueue(): Promise<void> {
    for (let path = this.queue.shift(); path !== undefined; path = this.queue.shift()) {
      await syncPath(path).catch((error: unknown) => {
        this.failure ??= { error };
      });
    }
  }
}

async function syncPath(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return; // removed meanwhile (gc): nothing left to keep
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
