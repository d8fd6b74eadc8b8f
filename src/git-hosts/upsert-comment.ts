/**
 * One comment per pull request, kept up to date: look for the comment holding the marker, update
 * it if found, create it if not. A create that fails ambiguously (the host may have made the
 * comment before the connection dropped) is never simply sent again: the next round looks
 * first, so a comment that did land is updated instead of duplicated.
 *
 *   find ──found──> same body? ──yes──> unchanged
 *    │                  └──no──> update
 *    └──none──> create ──ok──> created
 *                  └──ambiguous failure──> wait, find again (bounded rounds)
 */
import { markedBody, renderMarker, type MarkerStyle } from './comment-marker.js';
import { isGitHostError } from './errors.js';
import type { HostClient } from './host-client.js';
import { checkComment } from './reporter-input.js';
import type { CommentInput, CommentResult } from './types.js';

export interface HostedComment {
  id: number;
  body: string;
  url?: string;
}

/** One pull request's comments on one host. */
export interface CommentThread {
  /** The first (oldest) comment whose body holds `renderedMarker`, walking every page. */
  find(renderedMarker: string): Promise<HostedComment | undefined>;
  create(body: string): Promise<HostedComment>;
  update(id: number, body: string): Promise<HostedComment>;
}

/** What tells one host's comments apart from another's: the rest of an upsert is the same. */
export interface CommentHost {
  client: HostClient;
  /** How the host's Markdown lets the marker hide. */
  markerStyle: MarkerStyle;
  /** The longest body the host accepts; longer ones are cut, the marker kept. */
  maxBodyChars: number;
  threadOn(pullRequest: number): CommentThread;
}

/** Every reporter's `upsertComment`: check the input, mark the body and fit it, then upsert. */
export async function upsertPullRequestComment(
  input: CommentInput,
  host: CommentHost,
): Promise<CommentResult> {
  checkComment(input);
  const marker = renderMarker(input.marker, host.markerStyle);
  const body = markedBody(marker, input.body, host.maxBodyChars);
  return upsertMarkedComment(host.threadOn(input.pullRequest), marker, body, host.client);
}

async function upsertMarkedComment(
  thread: CommentThread,
  renderedMarker: string,
  body: string,
  client: HostClient,
): Promise<CommentResult> {
  let triedCreate = false;
  for (let round = 1; ; round++) {
    const existing = await thread.find(renderedMarker);
    if (existing) {
      // Found after our own ambiguous create: that create did land.
      const found = triedCreate ? 'created' : undefined;
      if (existing.body === body) return result(existing, found ?? 'unchanged');
      return result(await thread.update(existing.id, body), found ?? 'updated');
    }
    try {
      triedCreate = true;
      return result(await thread.create(body), 'created');
    } catch (error) {
      if (!isGitHostError(error) || !error.ambiguous || round >= client.maxAttempts) throw error;
      await client.backoff(round);
    }
  }
}

function result(comment: HostedComment, action: CommentResult['action']): CommentResult {
  return { id: comment.id, ...(comment.url ? { url: comment.url } : {}), action };
}
