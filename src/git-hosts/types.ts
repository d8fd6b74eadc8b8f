/** What every Git-host reporter does, whatever the host calls it. */

export type GitHostKind = 'github' | 'gitlab' | 'bitbucket';

/**
 * A commit's state as weft reports it; each host maps it to its own words (GitLab: running,
 * success, failed; Bitbucket: INPROGRESS, SUCCESSFUL, FAILED).
 */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatusInput {
  /** The full commit SHA. */
  sha: string;
  state: CommitState;
  /**
   * Names the status among others on the commit (`weft/ci`, `weft/deploy/penguins`); setting it
   * again replaces the earlier one. GitLab calls it `name`, Bitbucket `key` (at most 40 chars:
   * longer contexts are shortened with a hash suffix).
   */
  context: string;
  /** One line; cut to 140 characters, GitHub's limit. */
  description?: string;
  /** Where the status links to. Bitbucket requires one: the commit's page is used when absent. */
  targetUrl?: string;
}

export interface CommentInput {
  /** The pull request number (GitHub, Bitbucket) or the merge request IID (GitLab). */
  pullRequest: number;
  /**
   * Identifies weft's comment among the others, e.g. `weft-report:penguins` (letters, digits and
   * `.:_/%-`). It is written into the body hidden: `<!-- weft-report:penguins -->` on GitHub and
   * GitLab, `[//]: # (weft-report:penguins)` on Bitbucket, which shows HTML comments as text.
   */
  marker: string;
  /** Markdown. The hidden marker is put first unless the body already holds it. */
  body: string;
}

export interface CommentResult {
  id: number;
  /** The comment's web page, when the host says. */
  url?: string;
  /** `unchanged`: the comment already had this body, so nothing was sent. */
  action: 'created' | 'updated' | 'unchanged';
}

/**
 * Reports to one repository on one Git host. Every method retries what is safe to retry and
 * throws GitHostError (code SOURCE_FAILED) when the host refuses or cannot be reached; no
 * message ever holds the token.
 */
export interface GitHostReporter {
  readonly host: GitHostKind;
  /** `owner/repo`, `group/subgroup/project` (or a GitLab project ID), `workspace/repo_slug`. */
  readonly repository: string;
  setCommitStatus(input: CommitStatusInput): Promise<void>;
  /**
   * Creates weft's comment on the pull request the first time, and updates that same comment
   * (found by its marker, on whichever page of comments it is) every time after.
   */
  upsertComment(input: CommentInput): Promise<CommentResult>;
}

export type CheckRunConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'action_required';

export interface CheckRunInput {
  sha: string;
  /** The check's name on the commit, e.g. `weft`. */
  name: string;
  /** Absent: the run is created in progress. */
  conclusion?: CheckRunConclusion;
  title: string;
  /** Markdown, cut to 65535 characters. */
  summary: string;
  /** More Markdown below the summary, cut to 65535 characters. */
  text?: string;
  detailsUrl?: string;
}

export interface CheckRunResult {
  id: number;
  url?: string;
}

export interface GitHubReporter extends GitHostReporter {
  readonly host: 'github';
  /**
   * A check run with a Markdown summary on the commit (Checks API). Needs a GitHub App
   * installation token, such as the GITHUB_TOKEN of an Actions job with `checks: write`; a
   * personal access token is refused with 403, so use a commit status and a comment instead.
   */
  createCheckRun(input: CheckRunInput): Promise<CheckRunResult>;
}
