import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeError, isWeftError } from '../core/errors.js';
import { describeValidationErrors, type ValidationFailure } from './validation.js';

/** An answer the API gives on purpose: a status and a message for `{"error": "..."}`. */
export class ApiError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
  }
}

/** The one place errors become HTTP statuses in the API. */
export function apiStatusOf(error: unknown): number {
  if (error instanceof ApiError) return error.statusCode;
  if (isWeftError(error, 'NOT_FOUND')) return 404;
  if (isWeftError(error, 'USAGE')) return 400;
  if (isWeftError(error)) return 500;
  // fastify's own: a body that is not JSON, too large, of an unsupported type...
  const { statusCode } = error as { statusCode?: unknown };
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
}

/** Every error as `{"error": "..."}`; validation failures name the parameter that failed. */
export function handleApiError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = apiStatusOf(error);
  // An ApiError is an answer weft chose (503: no live server here); anything else is a fault.
  if (status >= 500 && !(error instanceof ApiError)) {
    request.log.error({ err: error }, 'API request failed');
  }
  const failure = error as FastifyError & ValidationFailure;
  const message = failure.validation
    ? describeValidationErrors(failure.validation, failure.validationContext)
    : describeError(error);
  void reply.status(status).send({ error: message });
}
