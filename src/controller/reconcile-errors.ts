import { WeftError } from '../core/errors.js';

/**
 * Typed outcomes that decide what the loop does next (as Flux does): `stall` waits for a human
 * (a new revision), `retry` backs off with jitter, and the reason becomes the condition's.
 */
export class ReconcileError extends Error {
  constructor(
    readonly kind: 'stall' | 'retry',
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReconcileError';
  }
}

export function stall(reason: string, message: string): ReconcileError {
  return new ReconcileError('stall', reason, message);
}

function retry(reason: string, message: string, cause?: unknown): ReconcileError {
  return new ReconcileError('retry', reason, message, { cause });
}

function isReconcileError(error: unknown): error is ReconcileError {
  return error instanceof ReconcileError;
}

/** Anything unexpected is retried: a transient failure must not need a human. */
export function toReconcileError(error: unknown, reason: string): ReconcileError {
  if (isReconcileError(error)) return error;
  const message =
    error instanceof WeftError || error instanceof Error ? error.message : String(error);
  return retry(reason, message, error);
}
