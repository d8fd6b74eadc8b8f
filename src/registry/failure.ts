import { WeftError } from '../core/errors.js';

/**
 * Runs a store operation and turns a driver error into a METADATA_FAILED WeftError that reads
 * "failed to <action>: <cause>". WeftErrors raised on purpose pass through unchanged.
 */
export async function runStoreOperation<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WeftError) throw error;
    throw new WeftError('METADATA_FAILED', `failed to ${action}: ${describeCause(error)}`, {
      cause: error,
    });
  }
}

/**
 * The message of a driver error. Node reports a refused connection to a name with several
 * addresses as an AggregateError with an empty message, so fall back to its parts and code.
 */
export function describeCause(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(describeCause).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}

/** A connection URL safe to print: the password, if any, replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable url>';
  }
}
