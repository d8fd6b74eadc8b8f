import { digestBytes } from '../../core/digest.js';
import { readHeader } from './verify.js';
import type { WebhookEvent, WebhookHeaders } from './types.js';

/** A payload read, or why it could not be. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The JSON a delivery carries. Hosts post `application/json`, or (GitHub's older form option)
 * `application/x-www-form-urlencoded` with the JSON in a `payload` field; an empty body is `{}`.
 */
export function decodePayload(headers: WebhookHeaders, rawBody: Buffer): Decoded<unknown> {
  if (rawBody.length === 0) return { ok: true, value: {} };
  const contentType = readHeader(headers, 'content-type') ?? '';
  const text = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(rawBody.toString('utf8')).get('payload')
    : rawBody.toString('utf8');
  if (text === null) return { ok: false, reason: 'form body has no "payload" field' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
}

/**
 * The host's delivery id from the first header present; without one, the body's digest, so a
 * byte-identical redelivery is still recognised.
 */
export function readDeliveryId(
  headers: WebhookHeaders,
  rawBody: Buffer,
  names: readonly string[],
): string {
  for (const name of names) {
    const id = readHeader(headers, name)?.trim();
    if (id) return id;
  }
  return digestBytes(rawBody);
}

/** A value at a path of object keys, or undefined when any step is missing. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function textAt(value: unknown, ...path: Array<string | number>): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

export function arrayAt(value: unknown, ...path: Array<string | number>): unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}

type RefFields = Pick<WebhookEvent, 'kind' | 'ref' | 'branch' | 'commit' | 'repository'>;

const DELETED_COMMIT = /^0{40}$|^0{64}$/;

/**
 * What a ref update amounts to: a branch push, a tag, or (refs/notes, refs/pull…) other. A commit
 * of all zeros is Git's way of saying the ref was deleted, so no commit is reported.
 */
export function describeRefUpdate(
  ref: string | undefined,
  commit: string | undefined,
  repository: string | undefined,
): RefFields {
  const fields: RefFields = { kind: 'other' };
  if (ref?.startsWith('refs/heads/')) {
    Object.assign(fields, { kind: 'push', branch: ref.slice('refs/heads/'.length) });
  } else if (ref?.startsWith('refs/tags/')) fields.kind = 'tag';
  if (ref !== undefined) fields.ref = ref;
  if (commit !== undefined && !DELETED_COMMIT.test(commit)) fields.commit = commit;
  if (repository !== undefined) fields.repository = repository;
  return fields;
}
