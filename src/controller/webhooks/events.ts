import { readBitbucketEvent } from './bitbucket-events.js';
import {
  decodePayload,
  describeRefUpdate,
  readDeliveryId,
  textAt,
  type Decoded,
} from './payload.js';
import type { WebhookEvent, WebhookHeaders, WebhookProvider } from './types.js';
import { readHeader } from './verify.js';

type EventFields = Omit<WebhookEvent, 'provider' | 'deliveryId'>;

/** Where each host puts the id that stays the same across redeliveries, most specific first. */
const DELIVERY_HEADERS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  github: ['X-GitHub-Delivery'],
  // Idempotency-Key (GitLab 17.4+) is kept across retries; the event UUID on older versions.
  gitlab: ['Idempotency-Key', 'X-Gitlab-Event-UUID'],
  // Cloud sends X-Request-UUID, Server/Data Center X-Request-Id.
  bitbucket: ['X-Request-UUID', 'X-Request-Id'],
  generic: ['X-Weft-Delivery'],
};

/**
 * Reads a verified delivery into the common event shape. Call it only after the signature has
 * been checked: the payload is trusted from here on. `trackedBranch` picks which ref to report
 * when one delivery moves several (Bitbucket).
 */
export function parseWebhookEvent(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  rawBody: Buffer,
  trackedBranch?: string,
): Decoded<WebhookEvent> {
  const payload = decodePayload(headers, rawBody);
  if (!payload.ok) return payload;
  const fields = readEventFields(provider, headers, payload.value, trackedBranch);
  const deliveryId = readDeliveryId(headers, rawBody, DELIVERY_HEADERS[provider]);
  return { ok: true, value: { provider, deliveryId, ...fields } };
}

function readEventFields(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  payload: unknown,
  trackedBranch: string | undefined,
): EventFields {
  switch (provider) {
    case 'github':
      return readGithubEvent(headers, payload);
    case 'gitlab':
      return readGitlabEvent(headers, payload);
    case 'bitbucket':
      return readBitbucketEvent(headers, payload, trackedBranch);
    case 'generic':
      return readGenericEvent(payload);
  }
}

/** `X-GitHub-Event: push` (branches and tags alike) or `ping`, sent when a hook is created. */
function readGithubEvent(headers: WebhookHeaders, payload: unknown): EventFields {
  const repository = textAt(payload, 'repository', 'full_name');
  const event = readHeader(headers, 'X-GitHub-Event');
  if (event === 'push') {
    return describeRefUpdate(textAt(payload, 'ref'), textAt(payload, 'after'), repository);
  }
  const kind = event === 'ping' ? 'ping' : 'other';
  return repository === undefined ? { kind } : { kind, repository };
}

/** `X-Gitlab-Event: Push Hook | Tag Push Hook`; system hooks say which in `object_kind`. */
function readGitlabEvent(headers: WebhookHeaders, payload: unknown): EventFields {
  const event = readHeader(headers, 'X-Gitlab-Event');
  const objectKind = textAt(payload, 'object_kind');
  const isRefEvent =
    event === 'Push Hook' ||
    event === 'Tag Push Hook' ||
    (event === 'System Hook' && (objectKind === 'push' || objectKind === 'tag_push'));
  if (!isRefEvent) return { kind: 'other' };
  return describeRefUpdate(
    textAt(payload, 'ref'),
    textAt(payload, 'after'),
    textAt(payload, 'project', 'path_with_namespace'),
  );
}

/**
 * weft's generic hook: `{ref?, branch?, commit?, repository?}`, all optional. A body naming no
 * ref is a plain "reconcile now", so it counts as a push to whatever branch is tracked.
 */
function readGenericEvent(payload: unknown): EventFields {
  const branch = textAt(payload, 'branch');
  const ref = textAt(payload, 'ref') ?? (branch === undefined ? undefined : `refs/heads/${branch}`);
  const commit = textAt(payload, 'commit');
  const repository = textAt(payload, 'repository');
  if (ref !== undefined) return describeRefUpdate(ref, commit, repository);
  return {
    kind: 'push',
    ...(commit === undefined ? {} : { commit }),
    ...(repository === undefined ? {} : { repository }),
  };
}

/** Whether a verified, first-seen event should reconcile a receiver tracking `branch`, and why. */
export function decideTrigger(
  event: WebhookEvent,
  branch: string,
): { triggered: boolean; reason: string } {
  if (event.kind === 'ping') return { triggered: false, reason: 'ping' };
  if (event.kind === 'tag') return { triggered: false, reason: `tag ${event.ref}, not a branch` };
  if (event.kind === 'other') return { triggered: false, reason: 'not a push event' };
  if (event.branch === undefined) return { triggered: true, reason: 'reconcile requested' };
  if (event.branch !== branch) {
    return { triggered: false, reason: `push to ${event.branch}, tracking ${branch}` };
  }
  return { triggered: true, reason: `push to ${branch}` };
}
