/**
 * Sends controller events to every configured target at once: generic webhooks get the event as
 * JSON signed the Standard Webhooks way, Slack-compatible incoming webhooks get a one-line
 * message. Targets are independent (one down does not delay or fail another) and `notify` never
 * throws; each target's outcome is in its report.
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import { describeError, WeftError } from '../../core/errors.js';
import { WEFT_VERSION } from '../../core/version.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
import { deliverWithRetry, type DeliveryEnvironment, type OutgoingRequest } from './delivery.js';
import type { ControllerEvent } from './event.js';
import { renderSlackMessage } from './slack.js';
import {
  parseWebhookSecret,
  signStandardWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './standard-webhooks.js';

export type NotifyTargetKind = 'webhook' | 'slack';

export interface NotifyTarget {
  /** Names the target in reports and logs, which never show its URL. */
  name: string;
  kind: NotifyTargetKind;
  /** http(s); `user:password@` in it is sent as basic auth. */
  url: string;
  /** `whsec_<base64>`; webhook targets without one are sent unsigned. */
  secret?: string;
}

/** pino's call shape, so a pino logger can be passed as is. */
export interface NotifyLogger {
  warn(fields: object, message: string): void;
}

export interface NotifierOptions {
  targets: readonly NotifyTarget[];
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Per attempt; the spec recommends 15 to 30 s. */
  timeoutMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch, for `webhook-timestamp` and `Retry-After` dates. */
  now?: () => number;
  logger?: NotifyLogger;
}

export interface DeliveryReport {
  target: string;
  kind: NotifyTargetKind;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface Notifier {
  notify(event: ControllerEvent): Promise<DeliveryReport[]>;
}

interface PreparedTarget {
  target: NotifyTarget;
  url: string;
  headers: Record<string, string>;
}

/** fetch refuses URLs with credentials, and its error would quote them: move them to a header. */
function prepareTarget(target: NotifyTarget): PreparedTarget {
  const fail = (problem: string) =>
    new WeftError('USAGE', `failed to configure notification target ${target.name}: ${problem}`);
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw fail('url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('url must be http(s)');
  if (target.secret !== undefined) {
    if (target.kind === 'slack') throw fail('slack targets take no secret');
    try {
      parseWebhookSecret(target.secret);
    } catch {
      throw fail('secret must be whsec_ followed by base64');
    }
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `weft/${WEFT_VERSION}`,
  };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { target, url: url.href, headers };
}

/** The Standard Webhooks payload shape: `type`, `timestamp`, `data`. */
function webhookBody(event: ControllerEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.at, data: event });
}

/** Built per attempt: `webhook-timestamp` is the time of the attempt, the id stays the event's. */
function requestBuilder(prepared: PreparedTarget, event: ControllerEvent, now: () => number) {
  const { target, url, headers } = prepared;
  if (target.kind === 'slack') {
    const body = JSON.stringify(renderSlackMessage(event));
    return (): OutgoingRequest => ({ url, headers, body });
  }
  const body = webhookBody(event);
  return (): OutgoingRequest => {
    const timestamp = Math.floor(now() / 1000);
    const signed: Record<string, string> = {
      ...headers,
      [WEBHOOK_ID_HEADER]: event.id,
      [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    };
    if (target.secret !== undefined) {
      signed[WEBHOOK_SIGNATURE_HEADER] = signStandardWebhook(
        target.secret,
        event.id,
        timestamp,
        body,
      );
    }
    return { url, headers: signed, body };
  };
}

function resolveRetry(retry: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...retry };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new WeftError('USAGE', `failed to configure notifications: retry.attempts must be >= 1`);
  }
  return policy;
}

async function deliverToTarget(
  prepared: PreparedTarget,
  event: ControllerEvent,
  env: DeliveryEnvironment,
  logger: NotifyLogger | undefined,
): Promise<DeliveryReport> {
  const { name, kind } = prepared.target;
  try {
    const result = await deliverWithRetry(requestBuilder(prepared, event, env.now), env);
    if (!result.ok) logger?.warn({ target: name, event: event.id, ...result }, 'notification lost');
    return { target: name, kind, ...result };
  } catch (error) {
    // Only a bug gets here (delivery reports its own failures); notify must still not throw.
    return { target: name, kind, ok: false, attempts: 0, error: describeError(error) };
  }
}

function prepareTargets(targets: readonly NotifyTarget[]): PreparedTarget[] {
  const names = targets.map((target) => target.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new WeftError(
      'USAGE',
      `failed to configure notifications: two targets are named ${repeated}`,
    );
  }
  return targets.map(prepareTarget);
}

/**
 * @throws WeftError USAGE for a target with a bad URL or secret, or a repeated name, before
 *   anything is sent.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const prepared = prepareTargets(options.targets);
  const env: DeliveryEnvironment = {
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? ((ms) => sleepMs(ms)),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    retry: resolveRetry(options.retry),
    timeoutMs: options.timeoutMs ?? 15_000,
  };
  return {
    notify: (event) =>
      Promise.all(prepared.map((target) => deliverToTarget(target, event, env, options.logger))),
  };
}
