import { open } from 'node:fs/promises';
import { mapConcurrent } from './concurrency.js';
import { errnoOf } from './store-io.js';

/** fsyncs in flight at once: enough to keep a disk's queue full, no more than the libuv pool. */
const SYNC_CONCURRENCY = 4;

/**
 * Published files whose fsync is left for later, done together. A pipeline run stores two
 * small files per stage (an output, a run-cache entry); syncing each as it is written made the
 * run wait on the disk, and on ext4 without a journal an fsync also writes the new file's
 * directories back, holding their locks, so creating the next file in them waited too. The run
 * instead syncs everything it stored once, before it writes weft.lock or registers a model, so
 * what a finished run points at is on disk as before. Until then a machine crash (not a crash
 * of weft: the page cache outlives that) can leave such a file torn; reads verify digests and
 * the run cache drops unreadable entries, so a torn file is rebuilt, never handed out.
 */
export class SyncBatch {
  private paths: string[] = [];

  /** Remembers a published file to sync at the next settle. */
  add(path: string): void {
    this.paths.push(path);
  }

  /** fsyncs every file added since the last settle; throws the first failure. */
  async settle(): Promise<void> {
    const paths = this.paths;
    this.paths = [];
    await mapConcurrent(paths, SYNC_CONCURRENCY, syncPath);
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
