/**
 * ONNX models answering in-process. Their sessions live in a pool of worker threads shared by
 * every loaded version (onnx/onnx-pool.ts): onnxruntime-node runs `session.run` synchronously
 * on the thread that calls it, so on the main thread every inference would stall the event loop,
 * and a thread per version would cost a V8 isolate (~9 MiB) each.
 */
import type { ModelRuntime } from '../types.js';
import { OnnxPool } from './onnx/onnx-pool.js';

export { OnnxPool, type OnnxPoolOptions, type OnnxWorkerStatus } from './onnx/onnx-pool.js';
export { OnnxRuntimeError, type OnnxRuntimeErrorCode } from './onnx/runtime-error.js';

let shared: OnnxPool | undefined;

/**
 * The process's default pool (`os.availableParallelism()` workers), created at first use and
 * again after it was closed. Its threads stop whenever it holds no session, so it needs no
 * owner to close it: a server that closes its versions leaves it without threads.
 */
export function sharedOnnxPool(): OnnxPool {
  if (!shared || shared.closed) shared = new OnnxPool();
  return shared;
}

/** An ONNX model answering in-process, its session created once in a worker of `pool`. */
export function startOnnxRuntime(
  bytes: Uint8Array,
  pool: OnnxPool = sharedOnnxPool(),
): Promise<ModelRuntime> {
  return pool.startSession(bytes);
}
