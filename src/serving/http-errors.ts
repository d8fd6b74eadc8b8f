import { isWeftError } from '../core/errors.js';

/** One place maps errors to HTTP statuses: the protocol's 4xx, weft's codes, runtimes' 502/503. */
export function statusOf(error: unknown): number {
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const given = status ?? statusCode;
  if (typeof given === 'number' && given >= 400 && given < 600) return given;
  if (isWeftError(error, 'NOT_FOUND')) return 404;
  if (isWeftError(error, 'USAGE') || isWeftError(error, 'SPEC_INVALID')) return 400;
  return 500;
}
