/**
 * Test helper: a fake GitLab REST API v4 on 127.0.0.1. GitLab publishes no complete OpenAPI
 * description on npm, so the request shapes below are written down from its reference docs:
 * "Commits API: set the pipeline status of a commit" (POST /projects/:id/statuses/:sha), "Notes
 * API: merge requests" (list, create, modify) and "REST API: pagination" (page, per_page <= 100,
 * X-Next-Page). A project path must arrive URL-encoded as one segment (`group%2Fproject`).
 * Like GitLab, posting the state a status already has is refused with 400.
 */
import { checkDocumentedRoute, type DocumentedRoute } from './documented-api.testing.js';
import {
  startFakeHost,
  type FakeAnswer,
  type FakeHost,
  type RecordedRequest,
} from './fake-host.testing.js';

const PROJECT = '([0-9]+|[^/]+%2F[^/]+)';
const NOTES = `^/api/v4/projects/${PROJECT}/merge_requests/([0-9]+)/notes`;

export const GITLAB_ROUTES: readonly DocumentedRoute[] = [
  {
    name: 'set the pipeline status of a commit',
    method: 'POST',
    path: new RegExp(`^/api/v4/projects/${PROJECT}/statuses/([0-9a-f]{7,64})$`),
    body: {
      type: 'object',
      required: ['state'],
      additionalProperties: false,
      properties: {
        state: {
          type: 'string',
          enum: ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'],
        },
        ref: { type: 'string' },
        name: { type: 'string' },
        context: { type: 'string' },
        target_url: { type: 'string', format: 'uri' },
        description: { type: 'string' },
        coverage: { type: 'number' },
        pipeline_id: { type: 'integer' },
      },
    },
  },
  {
    name: 'list all merge request notes',
    method: 'GET',
    path: new RegExp(`${NOTES}$`),
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sort: { type: 'string', enum: ['asc', 'desc'] },
        order_by: { type: 'string', enum: ['created_at', 'updated_at'] },
        page: { type: 'integer', minimum: 1 },
        per_page: { type: 'integer', minimum: 1, maximum: 100 },
      },
    },
  },
  {
    name: 'create new merge request note',
    method: 'POST',
    path: new RegExp(`${NOTES}$`),
    body: {
      type: 'object',
      required: ['body'],
      additionalProperties: false,
      properties: {
        body: { type: 'string', minLength: 1, maxLength: 1_000_000 },
        created_at: { type: 'string' },
        internal: { type: 'boolean' },
        merge_request_diff_head_sha: { type: 'string' },
      },
    },
  },
  {
    name: 'modify existing merge request note',
    method: 'PUT',
    path: new RegExp(`${NOTES}/([0-9]+)$`),
    body: {
      type: 'object',
      required: ['body'],
      additionalProperties: false,
      properties: { body: { type: 'string', minLength: 1, maxLength: 1_000_000 } },
    },
  },
];

export interface GitLabNote {
  id: number;
  mergeRequest: number;
  body: string;
  system: boolean;
}

export interface FakeGitLab extends FakeHost {
  routes: string[];
  notes: GitLabNote[];
  statuses: Record<string, unknown>[];
  addNote(mergeRequest: number, body: string, system?: boolean): GitLabNote;
  notesOn(mergeRequest: number): GitLabNote[];
}

export async function startFakeGitLab(token: string, project: string): Promise<FakeGitLab> {
  const routes: string[] = [];
  const notes: GitLabNote[] = [];
  const statuses: Record<string, unknown>[] = [];
  const matched = new WeakMap<RecordedRequest, { name: string; params: string[] }>();
  let nextId = 300;
  const addNote = (mergeRequest: number, body: string, system = false): GitLabNote => {
    const note = { id: nextId++, mergeRequest, body, system };
    notes.push(note);
    return note;
  };

  const host = await startFakeHost({
    validate(request) {
      const check = checkDocumentedRoute(GITLAB_ROUTES, request);
      const problems = [...check.problems];
      if (check.route) {
        matched.set(request, { name: check.route.name, params: check.params });
        routes.push(check.route.name);
        const id = decodeURIComponent(check.params[0]!);
        if (id !== project)
          problems.push(`project ${check.params[0]} is not ${project}, URL-encoded`);
      }
      if (
        request.headers.authorization !== `Bearer ${token}` &&
        request.headers['private-token'] !== token
      ) {
        problems.push(
          'neither "Authorization: Bearer <token>" nor PRIVATE-TOKEN carries the token',
        );
      }
      if (request.bodyText && !request.headers['content-type']?.startsWith('application/json')) {
        problems.push(`Content-Type is ${request.headers['content-type']} for a JSON body`);
      }
      return problems;
    },
    handle(request) {
      const { name, params } = matched.get(request)!;
      const body = request.body as Record<string, unknown>;
      const mergeRequest = Number(params[1]);
      switch (name) {
        case 'set the pipeline status of a commit':
          return setStatus(statuses, params[1]!, body);
        case 'list all merge request notes':
          return listNotes(
            request,
            notes.filter((n) => n.mergeRequest === mergeRequest),
          );
        case 'create new merge request note':
          return { status: 201, body: noteJson(addNote(mergeRequest, String(body.body))) };
        default: {
          const note = notes.find(
            (n) => n.id === Number(params[2]) && n.mergeRequest === mergeRequest,
          );
          if (!note) return { status: 404, body: { message: '404 Not found' } };
          note.body = String(body.body);
          return { status: 200, body: noteJson(note) };
        }
      }
    },
  });
  return {
    ...host,
    routes,
    notes,
    statuses,
    addNote,
    notesOn: (mergeRequest) => notes.filter((n) => n.mergeRequest === mergeRequest),
  };
}

function setStatus(
  statuses: Record<string, unknown>[],
  sha: string,
  body: Record<string, unknown>,
): FakeAnswer {
  const name = body.name ?? body.context ?? 'default';
  const last = statuses.filter((s) => s.sha === sha && s.name === name).at(-1);
  if (last?.state === body.state) {
    const verb = body.state === 'running' ? 'run' : String(body.state);
    return {
      status: 400,
      body: {
        message: `Cannot transition status via :${verb} from :${String(body.state)} (Reason(s): Status cannot transition via "${verb}")`,
      },
    };
  }
  statuses.push({ sha, ...body, name });
  return {
    status: 201,
    body: {
      id: statuses.length,
      sha,
      ref: 'main',
      status: body.state,
      name,
      target_url: body.target_url ?? null,
      description: body.description ?? null,
      created_at: '2025-01-01T00:00:00.000Z',
      allow_failure: false,
    },
  };
}

function listNotes(request: RecordedRequest, onRequest: GitLabNote[]): FakeAnswer {
  const perPage = Number(request.query.get('per_page') ?? 20);
  const page = Number(request.query.get('page') ?? 1);
  const ordered = request.query.get('sort') === 'asc' ? onRequest : [...onRequest].reverse();
  const totalPages = Math.max(1, Math.ceil(ordered.length / perPage));
  return {
    status: 200,
    body: ordered.slice((page - 1) * perPage, page * perPage).map(noteJson),
    headers: {
      'X-Page': String(page),
      'X-Per-Page': String(perPage),
      'X-Next-Page': page < totalPages ? String(page + 1) : '',
      'X-Prev-Page': page > 1 ? String(page - 1) : '',
      'X-Total': String(ordered.length),
      'X-Total-Pages': String(totalPages),
    },
  };
}

function noteJson(note: GitLabNote): Record<string, unknown> {
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: { id: 1, username: 'weft-bot', name: 'weft bot', state: 'active' },
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    system: note.system,
    noteable_id: 77,
    noteable_type: 'MergeRequest',
    noteable_iid: note.mergeRequest,
    resolvable: false,
    confidential: false,
    internal: false,
  };
}
