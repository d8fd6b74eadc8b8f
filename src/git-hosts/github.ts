/**
 * GitHub (and GitHub Enterprise Server) through the REST API, version 2022-11-28: commit
 * statuses, one issue comment per pull request updated in place, and check runs.
 * Operations: repos/create-commit-status, issues/list-comments, issues/create-comment,
 * issues/update-comment, checks/create (github/rest-api-description).
 */
import { fitText } from './comment-marker.js';
import { gitHostUsageError, unexpectedAnswerError } from './errors.js';
import {
  createBearerClient,
  type GitHostHttpOptions,
  type HostClient,
  type HostResponse,
} from './host-client.js';
import { findInPages, nextLinkFromHeader } from './pagination.js';
import { checkCommitStatus, checkSha, statusDescription } from './reporter-input.js';
import type {
  CheckRunInput,
  CheckRunResult,
  CommentInput,
  CommentResult,
  CommitStatusInput,
  GitHubReporter,
} from './types.js';
import {
  upsertPullRequestComment,
  type CommentThread,
  type HostedComment,
} from './upsert-comment.js';

export const GITHUB_API_URL = 'https://api.github.com';
export const GITHUB_API_VERSION = '2022-11-28';
/** GitHub refuses longer comment bodies and check-run summaries with 422. */
const MAX_BODY_CHARS = 65_536;
const MAX_CHECK_TEXT_CHARS = 65_535;

export interface GitHubReporterConfig {
  token: string;
  /** `owner/repo`. */
  repository: string;
  /** Default https://api.github.com; GitHub Enterprise Server: `https://<host>/api/v3`. */
  apiUrl?: string;
  /** Where the token came from, named in error hints (e.g. `GITHUB_TOKEN`). */
  tokenSource?: string;
}

export function createGitHubReporter(
  config: GitHubReporterConfig,
  http: GitHostHttpOptions = {},
): GitHubReporter {
  const [owner, repo] = splitGitHubRepository(config.repository);
  const client = createBearerClient('GitHub', config.apiUrl ?? GITHUB_API_URL, config, http, {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': GITHUB_API_VERSION,
  });
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;

  return {
    host: 'github',
    repository: `${owner}/${repo}`,
    async setCommitStatus(input: CommitStatusInput): Promise<void> {
      checkCommitStatus(input);
      const description = statusDescription(input.description);
      await client.request({
        action: 'set a commit status',
        method: 'POST',
        path: `${repoPath}/statuses/${input.sha}`,
        body: {
          state: input.state,
          context: input.context,
          ...(description !== undefined ? { description } : {}),
          ...(input.targetUrl !== undefined ? { target_url: input.targetUrl } : {}),
        },
        // A status replaces the last one with the same context: sending it twice does no harm.
        repeatable: true,
      });
    },
    upsertComment(input: CommentInput): Promise<CommentResult> {
      return upsertPullRequestComment(input, {
        client,
        markerStyle: 'html-comment',
        maxBodyChars: MAX_BODY_CHARS,
        threadOn: (number) => issueCommentThread(client, repoPath, number),
      });
    },
    async createCheckRun(input: CheckRunInput): Promise<CheckRunResult> {
      checkSha(input.sha, 'create a check run');
      const response = await client.request({
        action: 'create a check run',
        method: 'POST',
        path: `${repoPath}/check-runs`,
        body: checkRunBody(input, new Date((http.now ?? Date.now)())),
        repeatable: false,
      });
      const run = readObject(response, 'create a check run');
      return { id: run.id, ...(run.html_url ? { url: run.html_url } : {}) };
    },
  };
}

/** Pull request comments are issue comments: every pull request is an issue. */
function issueCommentThread(client: HostClient, repoPath: string, number: number): CommentThread {
  return {
    find: (marker) =>
      findInPages(
        client,
        {
          action: `find weft's comment on pull request #${number}`,
          method: 'GET',
          path: `${repoPath}/issues/${number}/comments`,
          query: { per_page: 100 },
          repeatable: true,
        },
        (response) => {
          const next = nextLinkFromHeader(response.headers.get('link'));
          return { items: readList(response), ...(next ? { next } : {}) };
        },
        (comment) => comment.body.includes(marker),
      ),
    create: async (body) =>
      toComment(
        await client.request({
          action: `comment on pull request #${number}`,
          method: 'POST',
          path: `${repoPath}/issues/${number}/comments`,
          body: { body },
          repeatable: false,
        }),
      ),
    update: async (id, body) =>
      toComment(
        await client.request({
          action: `update weft's comment on pull request #${number}`,
          method: 'PATCH',
          path: `${repoPath}/issues/comments/${id}`,
          body: { body },
          repeatable: true,
        }),
      ),
  };
}

function checkRunBody(input: CheckRunInput, now: Date): Record<string, unknown> {
  const output = {
    title: input.title,
    summary: fitText(input.summary, MAX_CHECK_TEXT_CHARS),
    ...(input.text !== undefined ? { text: fitText(input.text, MAX_CHECK_TEXT_CHARS) } : {}),
  };
  const done = input.conclusion !== undefined;
  return {
    name: input.name,
    head_sha: input.sha,
    status: done ? 'completed' : 'in_progress',
    ...(done ? { conclusion: input.conclusion, completed_at: now.toISOString() } : {}),
    ...(input.detailsUrl !== undefined ? { details_url: input.detailsUrl } : {}),
    output,
  };
}

interface GitHubObject {
  id: number;
  body?: string;
  html_url?: string;
}

function readObject(response: HostResponse, action: string): GitHubObject {
  const value = response.body as Partial<GitHubObject> | undefined;
  if (typeof value?.id !== 'number') {
    throw unexpectedAnswerError('GitHub', action, 'the answer has no numeric id');
  }
  return value as GitHubObject;
}

function readList(response: HostResponse): HostedComment[] {
  if (!Array.isArray(response.body)) return [];
  return (response.body as Partial<GitHubObject>[])
    .filter((c) => typeof c.id === 'number' && typeof c.body === 'string')
    .map((c) => toHosted(c as GitHubObject));
}

function toComment(response: HostResponse): HostedComment {
  return toHosted(readObject(response, 'write a pull request comment'));
}

function toHosted(comment: GitHubObject): HostedComment {
  return {
    id: comment.id,
    body: comment.body ?? '',
    ...(comment.html_url ? { url: comment.html_url } : {}),
  };
}

function splitGitHubRepository(repository: string): [string, string] {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!match) {
    throw gitHostUsageError(
      `failed to report to GitHub: repository ${JSON.stringify(repository)} is not owner/repo`,
    );
  }
  return [match[1]!, match[2]!.replace(/\.git$/, '')];
}
