/**
 * One Git host's REST API over fetch: JSON in and out, the host's headers and token on every
 * request, retries as retry.ts decides, and failures as GitHostError with the token redacted.
 * Requests go only to the configured API origin: a next-page link elsewhere is refused, so the
 * token never leaves for another host.
 */
import { WEFT_VERSION } from '../core/version.js';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { GitHostError, redactSecrets, type GitHostName } from './errors.js';
import { describeHostMessage } from './host-message.js';
import {
  backoffDelayMs,
  classifyStatus,
  DEFAULT_RETRY_POLICY,
  hostRequestedWaitMs,
  planRetry,
  type FailureKind,
  type RetryDecision,
  type RetryPolicy,
} from './retry.js';

/** pino's call shape, so a pino logger can be passed as is. */
export interface GitHostLogger {
  warn(fields: object, message: string): void;
}

/** How reporters talk HTTP; every field has a default, tests replace the clock and the waits. */
export interface GitHostHttpOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random?: () => number;
  /** Milliseconds since the epoch, for Retry-After dates and rate-limit resets. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
  logger?: GitHostLogger;
}

export interface HostClientConfig {
  host: GitHostName;
  /** The API root, e.g. `https://api.github.com` or `https://gitlab.com/api/v4`. */
  baseUrl: string;
  /** Sent on every request: authorization and the host's own headers. */
  headers: Record<string, string>;
  /** Never to appear in an error message. */
  secrets: readonly string[];
  /** Where the token came from (an environment variable), named in 401/403 hints. */
  tokenSource?: string;
}

export interface HostRequest {
  /** A verb phrase for error messages: "create a commit status". */
  action: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** A path below the base URL (`/repos/o/r/statuses/abc`), or a next-page URL the host gave. */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /**
   * Whether sending it twice does no harm (reads, updates, statuses). A request that is not (a
   * create) is retried only when the host surely did not act on it.
   */
  repeatable: boolean;
}

export interface HostResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

type Attempt =
  | { ok: true; response: HostResponse }
  | { ok: false; kind: FailureKind; status?: number; detail: string; hostWaitMs?: number };

const DEFAULT_TIMEOUT_MS = 30_000;

/** What every host's reporter config carries: its token and where it came from. */
export interface HostCredentials {
  token: string;
  tokenSource?: string;
}

/**
 * A client that sends the token as a Bearer token (all three hosts accept one), asks for JSON
 * unless `headers` says otherwise, and keeps the token out of every message.
 */
export function createBearerClient(
  host: GitHostName,
  baseUrl: string,
  credentials: HostCredentials,
  http: GitHostHttpOptions,
  headers: Record<string, string> = {},
): HostClient {
  return new HostClient(
    {
      host,
      baseUrl,
      headers: {
        Authorization: `Bearer ${credentials.token}`,
        Accept: 'application/json',
        'User-Agent': `weft/${WEFT_VERSION}`,
        ...headers,
      },
      secrets: [credentials.token],
      ...(credentials.tokenSource ? { tokenSource: credentials.tokenSource } : {}),
    },
    http,
  );
}

export class HostClient {
  private readonly base: URL;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: HostClientConfig,
    private readonly options: GitHostHttpOptions = {},
  ) {
    this.base = new URL(config.baseUrl.replace(/\/+$/, ''));
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => sleepMs(ms));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get maxAttempts(): number {
    return this.policy.attempts;
  }

  async request(request: HostRequest): Promise<HostResponse> {
    const url = this.resolveUrl(request);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attemptOnce(url, request);
      if (outcome.ok) return outcome.response;
      const next = planRetry(
        outcome.kind,
        attempt,
        request.repeatable,
        outcome.hostWaitMs,
        this.policy,
        this.random,
      );
      if ('stop' in next) throw this.failure(request, url, outcome, attempt, next);
      this.options.logger?.warn(
        { host: this.config.host, method: request.method, url: displayUrl(url), attempt },
        `retrying ${this.config.host} request in ${next.waitMs} ms: ${this.redact(outcome.detail)}`,
      );
      await this.sleep(next.waitMs);
    }
  }

  /** The backoff wait after round `attempt` of a caller's own retry loop (look, then create). */
  async backoff(attempt: number): Promise<void> {
    await this.sleep(backoffDelayMs(attempt, this.policy, this.random));
  }

  private resolveUrl(request: HostRequest): URL {
    const url = /^https?:\/\//i.test(request.path)
      ? new URL(request.path)
      : new URL(`${this.base.href.replace(/\/+$/, '')}${request.path}`);
    const basePath = this.base.pathname.replace(/\/+$/, '');
    if (url.origin !== this.base.origin || !url.pathname.startsWith(basePath)) {
      throw new GitHostError({
        host: this.config.host,
        action: request.action,
        method: request.method,
        url: displayUrl(url),
        detail: `refused to send the token outside ${this.base.origin}${basePath}`,
        attempts: 0,
        ambiguous: false,
      });
    }
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, String(value));
    }
    return url;
  }

  private async attemptOnce(url: URL, request: HostRequest): Promise<Attempt> {
    const headers: Record<string, string> = { ...this.config.headers };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      return describeNetworkFailure(error, this.timeoutMs);
    }
    if (response.status >= 200 && response.status < 300) return parseSuccess(response, text);
    return {
      ok: false,
      kind: classifyStatus(response.status, response.headers),
      status: response.status,
      detail: describeHostMessage(text, response.statusText),
      hostWaitMs: hostRequestedWaitMs(response.headers, this.now()),
    };
  }

  private failure(
    request: HostRequest,
    url: URL,
    outcome: Extract<Attempt, { ok: false }>,
    attempts: number,
    decision: Extract<RetryDecision, { stop: string }>,
  ): GitHostError {
    const hint =
      decision.stop === 'wait-too-long'
        ? `it asked to wait ${Math.ceil(decision.hostWaitMs / 1000)} s, longer than the ${this.policy.maxHostWaitMs / 1000} s weft waits; try again later`
        : hintFor(outcome.status, this.config.tokenSource);
    return new GitHostError({
      host: this.config.host,
      action: request.action,
      method: request.method,
      url: this.redact(displayUrl(url)),
      status: outcome.status,
      detail: this.redact(outcome.detail),
      attempts,
      ambiguous: outcome.kind === 'ambiguous',
      ...(hint ? { hint } : {}),
    });
  }

  private redact(text: string): string {
    return redactSecrets(text, this.config.secrets);
  }
}

function parseSuccess(response: Response, text: string): Attempt {
  if (text.trim() === '') {
    return {
      ok: true,
      response: { status: response.status, headers: response.headers, body: undefined },
    };
  }
  try {
    const body = JSON.parse(text) as unknown;
    return { ok: true, response: { status: response.status, headers: response.headers, body } };
  } catch {
    return { ok: false, kind: 'final', status: response.status, detail: 'the answer is not JSON' };
  }
}

/**
 * Only the error code: undici's messages can quote the URL. A refused connection never reached
 * the host, so even a create may be sent again; anything later is ambiguous.
 */
function describeNetworkFailure(error: unknown, timeoutMs: number): Attempt {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { ok: false, kind: 'ambiguous', detail: `no answer within ${timeoutMs} ms` };
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const known = typeof code === 'string' ? code : undefined;
  const refused = known === 'ECONNREFUSED' || known === 'ENOTFOUND' || known === 'EAI_AGAIN';
  return {
    ok: false,
    kind: refused ? 'refused' : 'ambiguous',
    detail: `network error ${known ?? '(connection failed)'}`,
  };
}

function hintFor(status: number | undefined, tokenSource: string | undefined): string | undefined {
  const token = tokenSource ? `the token in ${tokenSource}` : 'the token';
  if (status === 401) return `${token} was not accepted: check that it is valid and not expired`;
  if (status === 403) return `${token} lacks a permission this needs, or a rate limit was hit`;
  if (status === 404) return `check the repository and number, and that ${token} can see them`;
  return undefined;
}

function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
