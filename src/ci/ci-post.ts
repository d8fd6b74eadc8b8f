/**
 * What `weft ci --post` hands to a Git-host reporter: the comment to create or update in place,
 * and the commit status to set. A plain value, so any host (GitHub, GitLab, Bitbucket) can take
 * it; the reporter finds its earlier comment by `marker`.
 */
import type { CiEnvironment } from './ci-environment.js';
import { STATUS_DESCRIPTION_LIMIT } from './ci-verdict.js';

export type CiStatusState = 'success' | 'failure' | 'error';

export interface CiPost {
  /** The whole comment (report.md), starting with `marker`; null when weft ci failed before a verdict: set the status only. */
  markdown: string | null;
  /** `<!-- weft-report:NAME -->`: the first line of `markdown`, to find the comment again. */
  marker: string | null;
  /** The marker without its HTML comment (`weft-report:NAME`), for reporters that write their own. */
  markerId: string | null;
  /** `markdown` without its marker line: for reporters that put the marker in themselves. */
  body: string | null;
  /** The exit code weft ci ends with. */
  exitCode: number;
  /** success: everything passed; failure: a gate, a stage or a deploy file failed; error: weft ci itself could not finish. */
  statusState: CiStatusState;
  /** One line of at most 140 characters (GitHub's limit). */
  statusDescription: string;
  /** Full sha of the commit weft ci ran on (HEAD); null in a repository without commits. */
  commit: string | null;
  /** From `--pr`, else the CI environment (CiEnvironment.pullRequest); null on a branch build: no comment, status only. */
  pullRequest: CiEnvironment['pullRequest'];
}

/** The marker's id and the comment without it; a comment without a marker line is kept whole. */
export function splitMarker(markdown: string): { markerId: string | null; body: string } {
  const match = /^<!-- (\S+) -->\n+/.exec(markdown);
  return match
    ? { markerId: match[1] ?? null, body: markdown.slice(match[0].length) }
    : { markerId: null, body: markdown };
}

/** Sends a CiPost to the Git host; `weft ci --post` fails with its error. */
export type CiPoster = (post: CiPost) => Promise<void>;

/** The post for a failure before any verdict: only a commit status saying what went wrong. */
export function describeCiError(options: {
  message: string;
  exitCode: number;
  commit: string | null;
  pullRequest: CiPost['pullRequest'];
}): CiPost {
  const message = options.message.split('\n')[0] ?? '';
  return {
    markdown: null,
    marker: null,
    markerId: null,
    body: null,
    exitCode: options.exitCode,
    statusState: 'error',
    statusDescription:
      message.length <= STATUS_DESCRIPTION_LIMIT
        ? message
        : `${message.slice(0, STATUS_DESCRIPTION_LIMIT - 1)}…`,
    commit: options.commit,
    pullRequest: options.pullRequest,
  };
}
