/**
 * Calls to the control-plane API from the browser: same origin, with the session cookie (the
 * browser sends it; scripts never see it) and, on mutating calls, the session's CSRF token.
 * Every failure becomes an ApiRequestError carrying the API's own `{"error": "..."}` message.
 */

export class ApiRequestError extends Error {
  /** 0: the server could not be reached. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
  }
}

export type Query = Record<string, string | number | undefined>;

/** /ui/ and /api/v1/ share a parent, so the dashboard also works under a proxy's prefix. */
const API_BASE = new URL('../api/v1/', document.baseURI);

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

/** The session's CSRF token, sent as x-weft-csrf on POST, PUT and DELETE. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a call answers 401: the session expired, was signed out or its token revoked. */
export function setSignedOutHandler(handler: (() => void) | null): void {
  onSignedOut = handler;
}

export function apiUrl(path: string, query: Query = {}): string {
  const url = new URL(path.replace(/^\//, ''), API_BASE);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export async function apiGet<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const response = await send(apiUrl(path, query), { signal: signal ?? null });
  return (await response.json()) as T;
}

/** A stage log and whether it was cut to its end. */
export async function apiGetText(
  path: string,
  query?: Query,
): Promise<{ text: string; truncated: boolean; size: number }> {
  const response = await send(apiUrl(path, query), {});
  return {
    text: await response.text(),
    truncated: response.headers.get('x-weft-log-truncated') === 'true',
    size: Number(response.headers.get('x-weft-log-size') ?? 0),
  };
}

export async function apiSend<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T | null> {
  const headers: Record<string, string> = {};
  if (csrfToken !== null) headers['x-weft-csrf'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await send(apiUrl(path), {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.status === 204 ? null : ((await response.json()) as T);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, `the weft server did not answer (${String(error)})`);
  }
  if (response.ok) return response;
  const message = await readErrorMessage(response);
  if (response.status === 401) onSignedOut?.();
  throw new ApiRequestError(response.status, message);
}

async function readErrorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: a proxy's page, say. Its status says enough.
  }
  return `${response.status} ${response.statusText}`.trim();
}
