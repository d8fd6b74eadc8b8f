import { WeftError, type ErrorCode } from '../core/errors.js';

/**
 * The code of every failed call to a Git host. core/errors.ts has no code of its own for Git
 * hosts yet; SOURCE_FAILED ("an outside system we depend on failed", exit 1) is the nearest.
 */
export const GIT_HOST_FAILED: ErrorCode = 'SOURCE_FAILED';

export type GitHostName = 'GitHub' | 'GitLab' | 'Bitbucket';

export interface GitHostFailure {
  host: GitHostName;
  /** What weft was doing, as a verb phrase: "create a commit status". */
  action: string;
  method: string;
  /** The URL without its query: origin and path, which never hold the token. */
  url: string;
  /** The HTTP status, when the host answered. */
  status?: number;
  /** What the host said (its error message), or what went wrong on the way. */
  detail: string;
  attempts: number;
  /** True when the host may have acted on the request (network error, timeout, 5xx). */
  ambiguous: boolean;
  /** What to do about it, when known. */
  hint?: string;
}

/**
 * A request to a Git host that failed for good. The message reads "failed to <action> on
 * <host>: <METHOD> <url> answered <status>: <host's message>"; the token is replaced by `***`
 * wherever it appears, and the underlying fetch error is not kept as `cause`.
 */
export class GitHostError extends WeftError {
  readonly host: GitHostName;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly detail: string;
  readonly attempts: number;
  readonly ambiguous: boolean;

  constructor(failure: GitHostFailure) {
    super(GIT_HOST_FAILED, describeFailure(failure));
    this.name = 'GitHostError';
    this.host = failure.host;
    this.method = failure.method;
    this.url = failure.url;
    this.status = failure.status;
    this.detail = failure.detail;
    this.attempts = failure.attempts;
    this.ambiguous = failure.ambiguous;
  }
}

function describeFailure(f: GitHostFailure): string {
  const outcome =
    f.status === undefined ? `failed: ${f.detail}` : `answered ${f.status}: ${f.detail}`;
  const tries = f.attempts > 1 ? ` (after ${f.attempts} attempts)` : '';
  const hint = f.hint ? `; ${f.hint}` : '';
  return `failed to ${f.action} on ${f.host}: ${f.method} ${f.url} ${outcome}${tries}${hint}`;
}

export function isGitHostError(error: unknown): error is GitHostError {
  return error instanceof GitHostError;
}

/** Configuration that cannot work (no token, unknown host, malformed repository). */
export function gitHostUsageError(message: string): WeftError {
  return new WeftError('USAGE', message);
}

/** The host answered 2xx with something other than what its API documents. */
export function unexpectedAnswerError(
  host: GitHostName,
  action: string,
  problem: string,
): WeftError {
  return new WeftError(GIT_HOST_FAILED, `failed to ${action} on ${host}: ${problem}`);
}

/** Every occurrence of each secret in `text` replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length > 0) redacted = redacted.split(secret).join('***');
  }
  return redacted;
}
