/**
 * GitLab (gitlab.com or self-managed) through REST API v4: commit statuses
 * (`POST /projects/:id/statuses/:sha`) and one merge request note updated in place
 * (`/projects/:id/merge_requests/:merge_request_iid/notes`). The project is its numeric ID or
 * its full path, URL-encoded as one segment (`group%2Fsub%2Fproject`).
 */
import { gitHostUsageError, isGitHostError, unexpectedAnswerError } from './errors.js';
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

export const GITLAB_API_URL = 'https://gitlab.com/api/v4';
/** GitLab's limit on a note's body. */
const MAX_BODY_CHARS = 1_000_000;

/** GitLab's words: `running` shows as in progress (its `pending` means "waiting for a runner"). */
const GITLAB_STATE: Record<CommitState, string> = {
  pending: 'running',
  success: 'success',
  failure: 'failed',
  error: 'failed',
};

export interface GitLabReporterConfig {
  /** A personal, project or group access token with the `api` scope (sent as Bearer). */
  token: string;
  /** The project's numeric ID or full path (`group/subgroup/project`). */
  project: string;
  /** Default https://gitlab.com/api/v4; in GitLab CI, `CI_API_V4_URL`. */
  apiUrl?: string;
  tokenSource?: string;
}

export function createGitLabReporter(
  config: GitLabReporterConfig,
  http: GitHostHttpOptions = {},
): GitHostReporter {
  const project = checkProject(config.project);
  const client = createBearerClient('GitLab', config.apiUrl ?? GITLAB_API_URL, config, http);
  const projectPath = `/projects/${encodeURIComponent(project)}`;

  return {
    host: 'gitlab',
    repository: project,
    async setCommitStatus(input: CommitStatusInput): Promise<void> {
      checkCommitStatus(input);
      const description = statusDescription(input.description);
      try {
        await client.request({
          action: 'set a commit status',
          method: 'POST',
          path: `${projectPath}/statuses/${input.sha}`,
          body: {
            state: GITLAB_STATE[input.state],
            name: input.context,
            ...(description !== undefined ? { description } : {}),
            ...(input.targetUrl !== undefined ? { target_url: input.targetUrl } : {}),
          },
          repeatable: true,
        });
      } catch (error) {
        // GitLab refuses to move a status to the state it is already in; that is what we wanted.
        if (!isAlreadyInState(error)) throw error;
      }
    },
    upsertComment(input: CommentInput): Promise<CommentResult> {
      return upsertPullRequestComment(input, {
        client,
        markerStyle: 'html-comment',
        maxBodyChars: MAX_BODY_CHARS,
        threadOn: (iid) => mergeRequestNoteThread(client, projectPath, iid),
      });
    },
  };
}

function isAlreadyInState(error: unknown): boolean {
  return (
    isGitHostError(error) && error.status === 400 && /cannot transition status/i.test(error.detail)
  );
}

function mergeRequestNoteThread(
  client: HostClient,
  projectPath: string,
  iid: number,
): CommentThread {
  const notesPath = `${projectPath}/merge_requests/${iid}/notes`;
  const query = { per_page: 100, sort: 'asc', order_by: 'created_at' };
  return {
    find: (marker) =>
      findInPages(
        client,
        {
          action: `find weft's note on merge request !${iid}`,
          method: 'GET',
          path: notesPath,
          query,
          repeatable: true,
        },
        (response) => {
          const next = response.headers.get('x-next-page')?.trim();
          const items = readNotes(response);
          return next
            ? { items, next: { path: notesPath, query: { ...query, page: next } } }
            : { items };
        },
        (note) => note.body.includes(marker),
      ),
    create: async (body) =>
      toNote(
        await client.request({
          action: `comment on merge request !${iid}`,
          method: 'POST',
          path: notesPath,
          body: { body },
          repeatable: false,
        }),
        'comment on a merge request',
      ),
    update: async (id, body) =>
      toNote(
        await client.request({
          action: `update weft's note on merge request !${iid}`,
          method: 'PUT',
          path: `${notesPath}/${id}`,
          body: { body },
          repeatable: true,
        }),
        'update a merge request note',
      ),
  };
}

interface GitLabNote {
  id: number;
  body: string;
  system?: boolean;
}

/** System notes ("added 1 commit") are GitLab's own, never weft's. */
function readNotes(response: HostResponse): HostedComment[] {
  if (!Array.isArray(response.body)) return [];
  return (response.body as Partial<GitLabNote>[])
    .filter((n) => typeof n.id === 'number' && typeof n.body === 'string' && n.system !== true)
    .map((n) => ({ id: n.id!, body: n.body! }));
}

function toNote(response: HostResponse, action: string): HostedComment {
  const note = response.body as Partial<GitLabNote> | undefined;
  if (typeof note?.id !== 'number') {
    throw unexpectedAnswerError('GitLab', action, 'the answer has no numeric note id');
  }
  return { id: note.id, body: note.body ?? '' };
}

function checkProject(project: string): string {
  const trimmed = project.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (/^\d+$/.test(trimmed) || /^[\w.-]+(\/[\w.-]+)+$/.test(trimmed)) return trimmed;
  throw gitHostUsageError(
    `failed to report to GitLab: project ${JSON.stringify(project)} is neither a numeric ID nor group/project`,
  );
}
