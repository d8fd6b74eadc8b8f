import { WeftError } from '../core/errors.js';

/**
 * A source that cannot be fetched (unreachable, refused, ref gone, git timed out). The caller
 * keeps the last applied state serving and sets a condition with this reason.
 */
export const FETCH_FAILED = 'FetchFailed';

/**
 * Fetching a source failed. The message names the URL and git's stderr with credentials
 * redacted; git's raw error is deliberately not kept as `cause`, since its command line holds
 * the URL as written.
 */
export class SourceFetchError extends WeftError {
  readonly reason = FETCH_FAILED;
  /** The URL with credentials redacted. */
  readonly url: string;

  constructor(url: string, detail: string) {
    const displayUrl = redactCredentials(url);
    super('SOURCE_FAILED', `failed to fetch ${displayUrl}: ${redactCredentials(detail)}`);
    this.name = 'SourceFetchError';
    this.url = displayUrl;
  }
}

// The userinfo of any `scheme://user:secret@host`, up to the last `@` before the path, since
// people paste passwords holding a raw `@`.
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/gi;

/** Replaces the userinfo of every URL in `text` by `***`: `https://***@host/repo.git`. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}
