import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Digest } from '../core/digest.js';
import type { HashedFile } from './hash-file.js';
import { toSourceError } from './store-io.js';

/**
 * Hashes files on worker threads, one per core, so a cold run over gigabytes of data uses
 * every core rather than the main thread's one. The worker is a few lines of plain CommonJS
 * evaluated from a string, so it survives bundling unchanged.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, path }) => {
  let fd;
  try {
    fd = openSync(path, 'r');
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
    }
    parentPort.postMessage({ id, digest: 'sha256:' + hash.digest('hex'), size });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

/** Jobs queued per worker, so a worker never waits for the main thread between files. */
const IN_FLIGHT_PER_WORKER = 4;

type Reply =
  | { id: number; digest: Digest; size: number }
  | { id: number; error: { message: string; code?: string } };

interface Job {
  path: string;
  resolve: (value: HashedFile) => void;
  reject: (error: unknown) => void;
}

class HashPool {
  private readonly workers: Worker[];
  private readonly busy = new Map<Worker, number>();
  private readonly pending = new Map<number, Job>();
  private readonly queue: Array<Job & { id: number }> = [];
  private nextId = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref(); // idle workers must not keep weft alive; see dispatch and settle
      worker.on('message', (reply: Reply) => this.settle(worker, reply));
      this.busy.set(worker, 0);
      return worker;
    });
  }

  hash(path: string): Promise<HashedFile> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, path, resolve, reject });
      this.dispatch();
    });
  }

  /** Hands queued jobs to the least busy workers, so even two files use two cores. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.leastBusyWorker();
      if (worker === undefined) return;
      const job = this.queue.shift() as Job & { id: number };
      this.pending.set(job.id, job);
      this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
      worker.ref(); // pending work keeps weft alive...
      worker.postMessage({ id: job.id, path: job.path });
    }
  }

  private leastBusyWorker(): Worker | undefined {
    let best: Worker | undefined;
    for (const worker of this.workers) {
      const load = this.busy.get(worker) ?? 0;
      if (
        load < IN_FLIGHT_PER_WORKER &&
        (best === undefined || load < (this.busy.get(best) ?? 0))
      ) {
        best = worker;
      }
    }
    return best;
  }

  private settle(worker: Worker, reply: Reply): void {
    const job = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    const inFlight = (this.busy.get(worker) ?? 1) - 1;
    this.busy.set(worker, inFlight);
    if (inFlight === 0) worker.unref(); // ...an idle pool must not
    if (job) {
      if ('error' in reply) {
        const error = Object.assign(new Error(reply.error.message), { code: reply.error.code });
        job.reject(toSourceError(job.path, error));
      } else job.resolve({ digest: reply.digest, size: reply.size });
    }
    this.dispatch();
  }
}

let pool: HashPool | undefined;

/**
 * Below this much data to hash in one call, starting threads (~20 ms, once per process) costs
 * more than it saves; above it, a second core more than pays for it.
 */
export const POOL_MIN_BYTES = 8 << 20;

/** sha256 of a file on the shared pool (created on first use, one worker per core). */
export function hashFileOnPool(absPath: string): Promise<HashedFile> {
  pool ??= new HashPool(Math.max(1, availableParallelism()));
  return pool.hash(absPath);
}
