/**
 * Errors an ONNX session's `infer` and the pool's `startSession` reject with when the pool cannot
 * run them: `status` is the HTTP status the model server answers with (http-errors.ts reads it),
 * so a crashed worker or a closing pool gives the client a quick 503, not a 500 or a hang.
 */
export type OnnxRuntimeErrorCode =
  /** The session's worker crashed and is being replaced, or the session was closed. */
  | 'RUNTIME_NOT_READY'
  /** The pool was closed: it runs nothing more and refuses new sessions. */
  | 'POOL_CLOSED';

export class OnnxRuntimeError extends Error {
  readonly code: OnnxRuntimeErrorCode;
  readonly status = 503;

  constructor(code: OnnxRuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnnxRuntimeError';
    this.code = code;
  }
}
