import { arrayAt, describeRefUpdate, textAt } from './payload.js';
import type { WebhookEvent, WebhookHeaders } from './types.js';
import { readHeader } from './verify.js';

type EventFields = Omit<WebhookEvent, 'provider' | 'deliveryId'>;

/** A ref that moved in one push; Bitbucket reports several per delivery. */
interface RefChange {
  ref?: string;
  commit?: string;
}

/**
 * Bitbucket Cloud (`X-Event-Key: repo:push`, changes under `push.changes[].new`) and Bitbucket
 * Server/Data Center (`repo:refs_changed`, `changes[].ref` with `toHash`; `diagnostics:ping`
 * when an admin tests the hook). One delivery may move several refs: the change on
 * `trackedBranch` is the one reported, else the first.
 */
export function readBitbucketEvent(
  headers: WebhookHeaders,
  payload: unknown,
  trackedBranch: string | undefined,
): EventFields {
  switch (readHeader(headers, 'X-Event-Key')) {
    case 'repo:push':
      return pickChange(
        readCloudChanges(payload),
        trackedBranch,
        textAt(payload, 'repository', 'full_name'),
      );
    case 'repo:refs_changed':
      return pickChange(readServerChanges(payload), trackedBranch, readServerRepository(payload));
    case 'diagnostics:ping':
      return { kind: 'ping' };
    default:
      return { kind: 'other' };
  }
}

function readCloudChanges(payload: unknown): RefChange[] {
  return arrayAt(payload, 'push', 'changes').map((change) => {
    // A deleted branch has `new: null`; its name survives only under `old`.
    const state = textAt(change, 'new', 'name') ? 'new' : 'old';
    const type = textAt(change, state, 'type');
    const name = textAt(change, state, 'name');
    const prefix = type === 'branch' ? 'refs/heads/' : type === 'tag' ? 'refs/tags/' : undefined;
    const found: RefChange = {};
    if (prefix !== undefined && name !== undefined) found.ref = prefix + name;
    const commit = textAt(change, 'new', 'target', 'hash');
    if (commit !== undefined) found.commit = commit;
    return found;
  });
}

function readServerChanges(payload: unknown): RefChange[] {
  return arrayAt(payload, 'changes').map((change) => {
    const found: RefChange = {};
    const ref = textAt(change, 'ref', 'id') ?? textAt(change, 'refId');
    if (ref !== undefined) found.ref = ref;
    const commit = textAt(change, 'toHash');
    if (commit !== undefined) found.commit = commit;
    return found;
  });
}

function readServerRepository(payload: unknown): string | undefined {
  const project = textAt(payload, 'repository', 'project', 'key');
  const slug = textAt(payload, 'repository', 'slug');
  return project && slug ? `${project}/${slug}` : slug;
}

function pickChange(
  changes: RefChange[],
  trackedBranch: string | undefined,
  repository: string | undefined,
): EventFields {
  const tracked = trackedBranch === undefined ? undefined : `refs/heads/${trackedBranch}`;
  const change = changes.find((c) => c.ref === tracked) ?? changes[0];
  if (!change) return repository === undefined ? { kind: 'other' } : { kind: 'other', repository };
  return describeRefUpdate(change.ref, change.commit, repository);
}
