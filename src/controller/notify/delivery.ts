/**
 * One notification to one target, tried until it is accepted (2xx), refused for good (another
 * status), or out of attempts. Network errors, 429 and 5xx are retried; a `Retry-After` from
 * the server replaces the backoff. Failures are described by status or error code only, never
 * by URL (a Slack webhook URL is itself the secret).
 */
import { describeError } from '../../core/errors.js';
import {
  backoffDelayMs,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
} from './backoff.js';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryEnvironment {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  retry: RetryPolicy;
  timeoutMs: number;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  /** Status of the last response, when there was one. */
  status?: number;
  /** Why the last attempt failed. */
  error?: string;
}

type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; status?: number; error: string; retryAfterMs?: number };

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no response within ${timeoutMs} ms`;
  }
  // Only the code: undici's messages can quote the URL.
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return `network error: ${typeof code === 'string' ? code : 'request failed'}`;
}

async function attemptOnce(
  buildRequest: () => OutgoingRequest,
  env: DeliveryEnvironment,
): Promise<AttemptOutcome> {
  let request: OutgoingRequest;
  try {
    request = buildRequest();
  } catch (error) {
    return {
      ok: false,
      retryable: false,
      error: `failed to build request: ${describeError(error)}`,
    };
  }
  const { url, headers, body } = request;
  let response: Response;
  try {
    response = await env.fetch(url, {
      method: 'POST',
      headers,
      body,
      // The spec advises against following redirects: the URL should be fixed instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(env.timeoutMs),
    });
  } catch (error) {
    return { ok: false, retryable: true, error: describeNetworkError(error, env.timeoutMs) };
  }
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, status };
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), env.now());
  return {
    ok: false,
    retryable: isRetryableStatus(status),
    status,
    error: `HTTP ${status}`,
    retryAfterMs,
  };
}

/** How long to wait before the next attempt, or why not to make one. */
function planNextAttempt(
  outcome: Extract<AttemptOutcome, { ok: false }>,
  attempt: number,
  env: DeliveryEnvironment,
): { waitMs: number } | { stop: string } {
  if (!outcome.retryable) return { stop: outcome.error };
  if (attempt >= env.retry.attempts) {
    return { stop: `${outcome.error} (gave up after ${attempt} attempts)` };
  }
  const { retryAfterMs } = outcome;
  if (retryAfterMs === undefined) return { waitMs: backoffDelayMs(attempt, env.retry, env.random) };
  // Waiting less than asked would only be refused again; waiting longer than maxMs stalls the loop.
  if (retryAfterMs > env.retry.maxMs) {
    return {
      stop: `${outcome.error} asked to retry after ${retryAfterMs} ms, more than retry.maxMs`,
    };
  }
  return { waitMs: retryAfterMs };
}

/** Never throws: whatever happens ends up in the result. */
export async function deliverWithRetry(
  buildRequest: () => OutgoingRequest,
  env: DeliveryEnvironment,
): Promise<DeliveryResult> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(buildRequest, env);
    if (outcome.ok) return { ok: true, attempts: attempt, status: outcome.status };
    const next = planNextAttempt(outcome, attempt, env);
    if ('stop' in next) {
      return { ok: false, attempts: attempt, status: outcome.status, error: next.stop };
    }
    await env.sleep(next.waitMs);
  }
}
