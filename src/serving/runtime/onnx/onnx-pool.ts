import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { WeftError } from '../../../core/errors.js';
import { DEFAULT_BACKOFF, nextBackoffDelay, type BackoffPolicy } from '../external/backoff.js';
import type { RuntimeLogger } from '../external/runtime-process.js';
import { OnnxSession } from './onnx-session.js';
import { OnnxWorker, type WorkerExit } from './onnx-worker.js';
import { OnnxRuntimeError } from './runtime-error.js';
import type { SessionOptions } from './worker-protocol.js';

export interface OnnxPoolOptions {
  /** Worker threads the sessions are spread over. Default: `os.availableParallelism()`. */
  workers?: number;
  /**
   * Threads ONNX Runtime may use inside one inference. Default 1: the workers are the
   * parallelism, and ONNX Runtime gives each session a thread pool of its own, so more would
   * mean that many (spinning) threads per loaded version.
   */
  intraOpThreads?: number;
  /** Wait before a crashed worker is replaced; it grows while replacements keep crashing. */
  restartBackoff?: Partial<BackoffPolicy>;
  /** Where worker crashes and restarts are logged. */
  logger?: RuntimeLogger;
}

/** One worker of the pool as `status()` reports it. */
export interface OnnxWorkerStatus {
  index: number;
  /** False before its first session, after the pool went idle, and while a crash is repaired. */
  running: boolean;
  sessions: number;
  readySessions: number;
  /** Times it crashed and was replaced. */
  restarts: number;
}

/** A place for one worker thread; the thread in it is replaced when it crashes. */
interface Slot {
  index: number;
  worker: OnnxWorker | undefined;
  sessions: Set<OnnxSession>;
  /** Sessions being created here, counted so concurrent starts spread over the workers. */
  creating: number;
  restarts: number;
  lastDelayMs: number | undefined;
  restartTimer: NodeJS.Timeout | undefined;
}

const silentLogger: RuntimeLogger = { info() {}, warn() {}, error() {} };

/**
 * A fixed number of worker threads, each holding many ONNX Runtime sessions: a session is
 * created in the worker with the fewest and all its inference runs there. A worker runs its
 * calls one by one; the workers run in parallel. Threads start with their first session and
 * stop when the pool holds none, so a pool nobody closes never keeps the process alive once its
 * sessions are closed. A crashed worker is replaced and its sessions re-created from the model
 * bytes the pool keeps; meanwhile they are not ready and their requests get 503.
 */
export class OnnxPool {
  readonly #slots: Slot[];
  readonly #sessionOptions: SessionOptions;
  readonly #backoff: BackoffPolicy;
  readonly #logger: RuntimeLogger;
  readonly #stopping = new Set<Promise<void>>();
  #ortPath: string | undefined;
  #nextSessionId = 0;
  #closing: Promise<void> | undefined;

  constructor(options: OnnxPoolOptions = {}) {
    const workers = checkCount(options.workers ?? availableParallelism(), 'ONNX workers');
    this.#sessionOptions = {
      intraOpNumThreads: checkCount(options.intraOpThreads ?? 1, 'ONNX intra-op threads'),
    };
    this.#slots = Array.from({ length: workers }, (_, index) => ({
      index,
      worker: undefined,
      sessions: new Set<OnnxSession>(),
      creating: 0,
      restarts: 0,
      lastDelayMs: undefined,
      restartTimer: undefined,
    }));
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.restartBackoff };
    this.#logger = options.logger ?? silentLogger;
  }

  get size(): number {
    return this.#slots.length;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Creates a session for the model in the least-loaded worker.
   *
   * @throws OnnxRuntimeError POOL_CLOSED once the pool is closed; an Error naming what ONNX
   *   Runtime said when it refuses the model.
   */
  async startSession(bytes: Uint8Array): Promise<OnnxSession> {
    if (this.closed) throw closedError();
    const slot = this.#leastLoaded();
    slot.creating += 1;
    try {
      const worker = this.#workerOf(slot);
      const id = this.#nextSessionId++;
      const { outputNames } = await this.#createIn(worker, id, bytes).catch((error: unknown) => {
        if (this.closed) throw closedError();
        if (error instanceof OnnxRuntimeError) throw error;
        throw new Error(`ONNX Runtime refused the model: ${(error as Error).message}`);
      });
      if (this.closed) throw closedError();
      const session = new OnnxSession(id, bytes, outputNames, worker, (closing) =>
        this.#release(slot, closing),
      );
      slot.sessions.add(session);
      return session;
    } finally {
      slot.creating -= 1;
      this.#stopIfIdle();
    }
  }

  status(): OnnxWorkerStatus[] {
    return this.#slots.map((slot) => ({
      index: slot.index,
      running: slot.worker?.alive === true,
      sessions: slot.sessions.size,
      readySessions: [...slot.sessions].filter((session) => session.ready).length,
      restarts: slot.restarts,
    }));
  }

  /** Sessions each worker itself holds (0 for a worker not running): proof that releases happened. */
  async countWorkerSessions(): Promise<number[]> {
    return Promise.all(
      this.#slots.map(async ({ worker }) =>
        worker?.alive ? (await worker.call({ kind: 'count' })).sessions : 0,
      ),
    );
  }

  /** Terminates every worker; the pool refuses new sessions from now on. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const running: Array<Promise<void>> = [...this.#stopping];
      for (const slot of this.#slots) {
        clearTimeout(slot.restartTimer);
        for (const session of slot.sessions) session.detach();
        slot.sessions.clear();
        if (slot.worker) running.push(slot.worker.stop());
        slot.worker = undefined;
      }
      await Promise.all(running);
    })();
    return this.#closing;
  }

  /** Test hook: ends worker `index` as a crash would. */
  async killWorkerForTest(index: number): Promise<void> {
    await this.#slots[index]?.worker?.kill();
  }

  /**
   * Creates session `id` in `worker` from a copy of `bytes` that is moved there, not cloned. A
   * real copy: a Buffer's `slice` is a view, and moving its memory would empty the caller's.
   */
  #createIn(worker: OnnxWorker, id: number, bytes: Uint8Array): Promise<{ outputNames: string[] }> {
    const copy = new Uint8Array(bytes);
    const call = {
      kind: 'create',
      session: id,
      bytes: copy,
      options: this.#sessionOptions,
    } as const;
    return worker.call(call, [copy.buffer]);
  }

  #leastLoaded(): Slot {
    const load = (slot: Slot): number => slot.sessions.size + slot.creating;
    return this.#slots.reduce((best, slot) => (load(slot) < load(best) ? slot : best));
  }

  #workerOf(slot: Slot): OnnxWorker {
    if (slot.worker?.alive) return slot.worker;
    // Resolved by the main thread: an eval'd worker would resolve from the current directory.
    this.#ortPath ??= createRequire(import.meta.url).resolve('onnxruntime-node');
    const worker = new OnnxWorker(this.#ortPath);
    slot.worker = worker;
    void worker.exited.then((exit) => this.#onExit(slot, worker, exit));
    return worker;
  }

  async #release(slot: Slot, session: OnnxSession): Promise<void> {
    slot.sessions.delete(session);
    const worker = session.worker;
    session.detach();
    // A worker that is gone took the session with it.
    if (worker?.alive) await releaseIn(worker, session.id);
    this.#stopIfIdle();
  }

  /** No session and none being created: the threads are stopped until the next session. */
  #stopIfIdle(): void {
    if (this.closed || this.#slots.some((s) => s.sessions.size > 0 || s.creating > 0)) return;
    for (const slot of this.#slots) {
      clearTimeout(slot.restartTimer);
      slot.restartTimer = undefined;
      const { worker } = slot;
      slot.worker = undefined;
      if (!worker) continue;
      const stopped = worker.stop();
      this.#stopping.add(stopped);
      void stopped.finally(() => this.#stopping.delete(stopped));
    }
  }

  #onExit(slot: Slot, worker: OnnxWorker, exit: WorkerExit): void {
    if (slot.worker === worker) slot.worker = undefined;
    if (exit.expected) return;
    const lost = [...slot.sessions].filter((session) => session.worker === worker);
    for (const session of lost) session.detach();
    if (this.closed || slot.sessions.size === 0) return;
    const delayMs = nextBackoffDelay(
      this.#backoff,
      slot.lastDelayMs,
      Date.now() - worker.startedAt,
    );
    slot.lastDelayMs = delayMs;
    slot.restarts += 1;
    this.#logger.warn(
      { worker: slot.index, exitCode: exit.code, err: exit.error, sessions: lost.length, delayMs },
      'ONNX worker crashed; replacing it and re-creating its sessions',
    );
    clearTimeout(slot.restartTimer);
    slot.restartTimer = setTimeout(() => void this.#recover(slot), delayMs);
  }

  /** Re-creates, in a new worker, the sessions the crashed one held. */
  async #recover(slot: Slot): Promise<void> {
    slot.restartTimer = undefined;
    if (this.closed || slot.sessions.size === 0) return;
    const worker = this.#workerOf(slot);
    const detached = [...slot.sessions].filter((session) => session.worker === undefined);
    const outcomes = await Promise.allSettled(
      detached.map(async (session) => {
        await this.#createIn(worker, session.id, session.bytes);
        // Closed while it was being re-created: release it again at once.
        if (session.closed) await releaseIn(worker, session.id);
        else session.attach(worker);
      }),
    );
    // A worker that crashed again is handled by its own exit; only model refusals are news.
    if (!worker.alive) return;
    const failed = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    for (const { reason } of failed) {
      this.#logger.error(
        { worker: slot.index, err: reason as unknown },
        'failed to re-create an ONNX session after a worker crash',
      );
    }
    this.#logger.info(
      { worker: slot.index, sessions: detached.length - failed.length },
      'ONNX worker replaced; its sessions are ready again',
    );
  }
}

function checkCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new WeftError('USAGE', `${what} must be a whole number >= 1, got ${value}`);
  }
  return value;
}

async function releaseIn(worker: OnnxWorker, id: number): Promise<void> {
  await worker.call({ kind: 'release', session: id }).catch(() => undefined);
}

function closedError(): OnnxRuntimeError {
  return new OnnxRuntimeError(
    'POOL_CLOSED',
    'failed to start an ONNX session: the ONNX worker pool is closed',
  );
}
