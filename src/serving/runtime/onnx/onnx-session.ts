import type { InferRequest, InferResult, ModelRuntime } from '../../types.js';
import type { OnnxWorker } from './onnx-worker.js';
import { OnnxRuntimeError } from './runtime-error.js';
import { fromWorkerOutput, toWorkerInputs, type WorkerResults } from './worker-protocol.js';

/**
 * One loaded ONNX model: an InferenceSession held by one worker of the pool. The worker it is
 * attached to changes only when the pool replaces a crashed one; in between it is detached and
 * not ready, and its requests get 503.
 */
export class OnnxSession implements ModelRuntime {
  #worker: OnnxWorker | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(
    /** Unique within its pool; names the session in messages to the worker. */
    readonly id: number,
    /** Kept so the session can be created again in a replacement worker. */
    readonly bytes: Uint8Array,
    readonly outputNames: readonly string[],
    worker: OnnxWorker,
    private readonly releaseSession: (session: OnnxSession) => Promise<void>,
  ) {
    this.#worker = worker;
  }

  get ready(): boolean {
    return !this.#closed && this.#worker?.alive === true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The worker holding the session now; undefined while it is being re-created, or once closed. */
  get worker(): OnnxWorker | undefined {
    return this.#worker;
  }

  attach(worker: OnnxWorker): void {
    if (!this.closed) this.#worker = worker;
  }

  detach(): void {
    this.#worker = undefined;
  }

  /** A promise chain rather than an async function: two promises fewer on every request. */
  infer(request: InferRequest): Promise<InferResult> {
    const worker = this.#worker;
    if (!worker || this.closed) {
      return Promise.reject(
        new OnnxRuntimeError(
          'RUNTIME_NOT_READY',
          `the model session is not ready: ${this.closed ? 'it was closed' : 'its ONNX worker is restarting'}`,
        ),
      );
    }
    const { inputs, transfer } = toWorkerInputs(request.inputs);
    const fetches = request.outputs ?? [...this.outputNames];
    return worker
      .call({ kind: 'run', session: this.id, inputs, fetches }, transfer)
      .then(toInferResult, toInferError);
  }

  /** Releases the session in its worker (the worker keeps serving others). Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.releaseSession(this);
    return this.#closing;
  }
}

const toInferResult = (reply: WorkerResults['run']): InferResult => ({
  outputs: reply.outputs.map(fromWorkerOutput),
});

function toInferError(error: unknown): never {
  if (error instanceof OnnxRuntimeError) throw error;
  throw new Error(`inference failed: ${(error as Error).message}`, { cause: error });
}
