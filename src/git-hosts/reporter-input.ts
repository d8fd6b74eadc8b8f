/** Checks on what callers pass to a reporter, shared by every host. Pure. */
import { fitText } from './comment-marker.js';
import { gitHostUsageError } from './errors.js';
import type { CommentInput, CommitStatusInput } from './types.js';

/** GitHub refuses longer status descriptions with 422; the other hosts are held to the same. */
export const STATUS_DESCRIPTION_MAX = 140;

export function checkCommitStatus(input: CommitStatusInput): void {
  checkSha(input.sha, 'set a commit status');
  if (input.context.trim() === '') {
    throw gitHostUsageError('failed to set a commit status: context must not be empty');
  }
}

export function checkSha(sha: string, action: string): void {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) {
    throw gitHostUsageError(
      `failed to ${action}: ${JSON.stringify(sha)} is not a commit SHA (7 to 64 hex digits)`,
    );
  }
}

export function checkComment(input: CommentInput): void {
  if (!Number.isSafeInteger(input.pullRequest) || input.pullRequest <= 0) {
    throw gitHostUsageError(
      `failed to comment on pull request ${input.pullRequest}: the number must be a positive integer`,
    );
  }
}

/** One line, within the limit: hosts show the description in a single row. */
export function statusDescription(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  return fitText(description.replace(/\s+/g, ' ').trim(), STATUS_DESCRIPTION_MAX);
}
