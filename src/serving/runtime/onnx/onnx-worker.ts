import { Worker } from 'node:worker_threads';
import { OnnxRuntimeError } from './runtime-error.js';
import { WORKER_SOURCE } from './worker-source.js';
import type { WorkerCall, WorkerReply, WorkerRequest, WorkerResults } from './worker-protocol.js';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/** How a worker ended: `expected` when weft stopped it, anything else is a crash. */
export interface WorkerExit {
  code: number;
  expected: boolean;
  /** What it threw at top level, if that is why it ended. */
  error?: Error;
}

/**
 * One ONNX worker thread and the calls in flight on it, matched to replies by id. When the
 * thread ends, every call still waiting is rejected with a 503 OnnxRuntimeError at once.
 */
export class OnnxWorker {
  readonly startedAt = Date.now();
  readonly #thread: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #exit: WorkerExit | undefined;
  #stopping = false;
  #thrown: Error | undefined;
  readonly #exited: Promise<WorkerExit>;

  constructor(ortPath: string) {
    this.#thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath } });
    this.#thread.on('message', (reply: WorkerReply) => this.#settle(reply));
    this.#thread.on('error', (error) => (this.#thrown = error));
    this.#exited = new Promise((resolve) => {
      this.#thread.once('exit', (code) => {
        const exit: WorkerExit = {
          code,
          expected: this.#stopping,
          ...(this.#thrown ? { error: this.#thrown } : {}),
        };
        this.#exit = exit;
        this.#failPending(exit);
        resolve(exit);
      });
    });
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Resolves once the thread has ended, however it ended. */
  get exited(): Promise<WorkerExit> {
    return this.#exited;
  }

  /**
   * Sends one call; `transfer` lists buffers the caller gives up. Rejects with the worker's
   * error. The call object itself is sent, its `id` set (a copy per request costs the main
   * thread measurably at tens of thousands of calls a second): pass one made for this call.
   */
  call<K extends WorkerCall['kind']>(
    call: Extract<WorkerCall, { kind: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<WorkerResults[K]> {
    if (this.#exit) return Promise.reject(stoppedError('call'));
    const request: WorkerRequest = Object.assign(call, { id: this.#nextId++ });
    return new Promise<unknown>((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      this.#thread.postMessage(request, transfer);
    }) as Promise<WorkerResults[K]>;
  }

  /** Ends the thread on purpose (pool closed or idle); its sessions go with it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#end(0);
  }

  /** Ends the thread as a crash would (exit code 1, unexpected), for tests of recovery. */
  async kill(): Promise<void> {
    await this.#end(1);
  }

  /**
   * Asks the thread to exit once its current call is done. Not `Worker#terminate`: a thread
   * terminated while ONNX Runtime runs in it aborts the whole process.
   */
  async #end(code: number): Promise<void> {
    this.#thread.postMessage({ kind: 'exit', code });
    await this.#exited;
  }

  #settle(reply: WorkerReply): void {
    const waiting = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (!waiting) return;
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.result);
  }

  #failPending(exit: WorkerExit): void {
    const error = stoppedError(exit.expected ? 'stop' : 'crash', exit.error);
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

function stoppedError(when: 'call' | 'stop' | 'crash', cause?: Error): OnnxRuntimeError {
  const why = {
    call: 'its ONNX worker has stopped',
    stop: 'its ONNX worker was stopped',
    crash: 'its ONNX worker crashed; a replacement is starting',
  }[when];
  return new OnnxRuntimeError('RUNTIME_NOT_READY', `the model session is not ready: ${why}`, {
    ...(cause ? { cause } : {}),
  });
}
