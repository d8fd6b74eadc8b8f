/**
 * Bitbucket Cloud through REST API 2.0: build statuses
 * (`POST /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build`) and one pull
 * request comment updated in place (`.../pullrequests/{pull_request_id}/comments`). Bitbucket
 * escapes HTML in Markdown, so the marker hides as a link reference definition instead.
 */
import { createHash } from 'node:crypto';
import { gitHostUsageError, unexpectedAnswerError } from './errors.js';
import {
  createBearerClient,
  type GitHostHttpOptions,
  type HostClient,
  type HostResponse,
} from './host-client.js';
import { findInPages } from './pagination.js';
import { checkCommitStatus, statusDescription } from './reporter-input.js';
import type {
  CommentInput,
  CommentResult,
  CommitState,
  CommitStatusInput,
  GitHostReporter,
} from './types.js';
import {
  upsertPullRequestComment,
  type CommentThread,
  type HostedComment,
} from './upsert-comment.js';

export const BITBUCKET_API_URL = 'https://api.bitbucket.org/2.0';
const BITBUCKET_WEB_URL = 'https://bitbucket.org';
/** Bitbucket refuses longer build status keys ("at most 40 characters"). */
const MAX_KEY_CHARS = 40;
/** Some Bitbucket lists refuse `pagelen` above 50 ("Invalid pagelen"). */
const PAGE_LENGTH = 50;
/** No documented limit; held to GitHub's so one report fits every host. */
const MAX_BODY_CHARS = 65_536;

/** STOPPED means cancelled; an error in weft is a failed build to the reader. */
const BITBUCKET_STATE: Record<CommitState, string> = {
  pending: 'INPROGRESS',
  success: 'SUCCESSFUL',
  failure: 'FAILED',
  error: 'FAILED',
};

export interface BitbucketReporterConfig {
  /** A repository, project or workspace access token (sent as Bearer). */
  token: string;
  /** `workspace/repo_slug`. */
  repository: string;
  /** Default https://api.bitbucket.org/2.0. */
  apiUrl?: string;
  tokenSource?: string;
}

export function createBitbucketReporter(
  config: BitbucketReporterConfig,
  http: GitHostHttpOptions = {},
): GitHostReporter {
  const [workspace, slug] = splitBitbucketRepository(config.repository);
  const client = createBearerClient('Bitbucket', config.apiUrl ?? BITBUCKET_API_URL, config, http);
  const repoPath = `/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}`;

  return {
    host: 'bitbucket',
    repository: `${workspace}/${slug}`,
    async setCommitStatus(input: CommitStatusInput): Promise<void> {
      checkCommitStatus(input);
      const description = statusDescription(input.description);
      await client.request({
        action: 'set a build status',
        method: 'POST',
        path: `${repoPath}/commit/${input.sha}/statuses/build`,
        body: {
          key: buildStatusKey(input.context),
          state: BITBUCKET_STATE[input.state],
          name: input.context,
          // Required by Bitbucket; the commit's own page when the caller has nothing better.
          url: input.targetUrl ?? `${BITBUCKET_WEB_URL}/${workspace}/${slug}/commits/${input.sha}`,
          ...(description !== undefined ? { description } : {}),
        },
        // A status with the same key is overwritten: sending it twice does no harm.
        repeatable: true,
      });
    },
    upsertComment(input: CommentInput): Promise<CommentResult> {
      return upsertPullRequestComment(input, {
        client,
        markerStyle: 'link-reference',
        maxBodyChars: MAX_BODY_CHARS,
        threadOn: (id) => pullRequestCommentThread(client, repoPath, id),
      });
    },
  };
}

/** The context itself when it fits, else its start and a hash of the whole (still unique). */
export function buildStatusKey(context: string): string {
  if (context.length <= MAX_KEY_CHARS) return context;
  const hash = createHash('sha256').update(context).digest('hex').slice(0, 8);
  return `${context.slice(0, MAX_KEY_CHARS - hash.length - 1)}-${hash}`;
}

function pullRequestCommentThread(client: HostClient, repoPath: string, id: number): CommentThread {
  const commentsPath = `${repoPath}/pullrequests/${id}/comments`;
  return {
    find: (marker) =>
      findInPages(
        client,
        {
          action: `find weft's comment on pull request #${id}`,
          method: 'GET',
          path: commentsPath,
          query: { pagelen: PAGE_LENGTH },
          repeatable: true,
        },
        (response) => readPage(response),
        (comment) => comment.body.includes(marker),
      ),
    create: async (body) =>
      toComment(
        await client.request({
          action: `comment on pull request #${id}`,
          method: 'POST',
          path: commentsPath,
          body: { content: { raw: body } },
          repeatable: false,
        }),
        'comment on a pull request',
      ),
    update: async (commentId, body) =>
      toComment(
        await client.request({
          action: `update weft's comment on pull request #${id}`,
          method: 'PUT',
          path: `${commentsPath}/${commentId}`,
          body: { content: { raw: body } },
          repeatable: true,
        }),
        'update a pull request comment',
      ),
  };
}

interface BitbucketComment {
  id: number;
  content?: { raw?: string };
  deleted?: boolean;
  inline?: unknown;
  parent?: unknown;
  links?: { html?: { href?: string } };
}

/** Only live top-level comments: weft never writes inline comments or replies. */
function readPage(response: HostResponse): { items: HostedComment[]; next?: string } {
  const page = response.body as { values?: Partial<BitbucketComment>[]; next?: unknown };
  const items = (page?.values ?? [])
    .filter((c) => typeof c.id === 'number' && !c.deleted && !c.inline && !c.parent)
    .map((c) => toHosted(c as BitbucketComment));
  return typeof page?.next === 'string' ? { items, next: page.next } : { items };
}

function toComment(response: HostResponse, action: string): HostedComment {
  const comment = response.body as Partial<BitbucketComment> | undefined;
  if (typeof comment?.id !== 'number') {
    throw unexpectedAnswerError('Bitbucket', action, 'the answer has no numeric comment id');
  }
  return toHosted(comment as BitbucketComment);
}

function toHosted(comment: BitbucketComment): HostedComment {
  const url = comment.links?.html?.href;
  return { id: comment.id, body: comment.content?.raw ?? '', ...(url ? { url } : {}) };
}

function splitBitbucketRepository(repository: string): [string, string] {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(repository);
  if (!match) {
    throw gitHostUsageError(
      `failed to report to Bitbucket: repository ${JSON.stringify(repository)} is not workspace/repo_slug`,
    );
  }
  return [match[1]!, match[2]!.replace(/\.git$/, '')];
}
