/**
 * Walking a host's paged lists until an item matches. Each host says "next page" its own way
 * (GitHub a `Link` header, GitLab `X-Next-Page`, Bitbucket a `next` URL in the body); the host
 * module reads it, this walks. Bounded, and a page seen twice stops the walk.
 */
import { WeftError } from '../core/errors.js';
import { GIT_HOST_FAILED } from './errors.js';
import type { HostClient, HostRequest, HostResponse } from './host-client.js';

export interface Page<T> {
  items: readonly T[];
  /** The next page: a full URL from the host, or a request for it. */
  next?: string | Pick<HostRequest, 'path' | 'query'>;
}

const MAX_PAGES = 200;

export async function findInPages<T>(
  client: HostClient,
  first: HostRequest,
  readPage: (response: HostResponse) => Page<T>,
  matches: (item: T) => boolean,
): Promise<T | undefined> {
  let request: HostRequest | undefined = first;
  const seen = new Set<string>();
  for (let pages = 0; request; pages++) {
    const key = JSON.stringify([request.path, request.query]);
    if (seen.has(key) || pages >= MAX_PAGES) {
      throw new WeftError(
        GIT_HOST_FAILED,
        `failed to ${first.action}: gave up after ${pages} pages (the host's next-page links loop or never end)`,
      );
    }
    seen.add(key);
    const page = readPage(await client.request(request));
    const found = page.items.find(matches);
    if (found !== undefined) return found;
    request = nextRequest(first, page.next);
  }
  return undefined;
}

function nextRequest(first: HostRequest, next: Page<unknown>['next']): HostRequest | undefined {
  if (next === undefined) return undefined;
  // A full URL from the host already carries every query parameter.
  if (typeof next === 'string') return { ...first, path: next, query: {} };
  return { ...first, ...next };
}

/** The `rel="next"` target of an RFC 8288 `Link` header, as GitHub sends it. */
export function nextLinkFromHeader(link: string | null): string | undefined {
  if (link === null) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]!);
    const names = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (names.includes('next')) return match[1];
  }
  return undefined;
}
