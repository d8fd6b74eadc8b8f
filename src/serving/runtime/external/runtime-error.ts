/**
 * Errors an external runtime's `infer` rejects with. `status` is the HTTP status the model server
 * should answer with (Fastify's default error handler reads it), so a crashed or restarting
 * process turns into a quick 503 or 502 for the client rather than a hang.
 */
export type ExternalRuntimeErrorCode =
  /** The process is starting, restarting after a crash, or the runtime was closed: 503. */
  | 'RUNTIME_NOT_READY'
  /** The connection failed or closed mid-request (the process died), or the answer was unusable: 502. */
  | 'RUNTIME_FAILED'
  /** No answer within `requestTimeoutMs`: 504. */
  | 'RUNTIME_TIMEOUT'
  /** The process answered with an error; its 4xx status (or 503) is passed on, anything else is 502. */
  | 'RUNTIME_REJECTED';

export class ExternalRuntimeError extends Error {
  readonly code: ExternalRuntimeErrorCode;
  readonly status: number;

  constructor(
    code: ExternalRuntimeErrorCode,
    status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExternalRuntimeError';
    this.code = code;
    this.status = status;
  }
}

/** The status to pass on for an error answer of the process: its own 4xx or 503, else 502. */
export function statusForRejection(upstreamStatus: number): number {
  const passesThrough = (upstreamStatus >= 400 && upstreamStatus < 500) || upstreamStatus === 503;
  return passesThrough ? upstreamStatus : 502;
}
