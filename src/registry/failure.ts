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

/** How often a write that lost a race on a unique constraint is tried again. */
const UNIQUE_RETRY_ATTEMPTS = 8;

/**
 * Runs `write` (a whole transaction) again when it fails on a unique constraint: it lost a race
 * to a concurrent writer and, run again, sees that writer's committed rows.
 */
export async function retryOnUniqueViolation<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= UNIQUE_RETRY_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

/** PostgreSQL's unique_violation (23505) or SQLite's unique and primary-key constraint codes. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
