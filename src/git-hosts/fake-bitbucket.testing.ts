/**
 * Test helper: a fake Bitbucket Cloud REST API 2.0 on 127.0.0.1. Atlassian's OpenAPI document
 * is not on npm, so the shapes below are written down from the reference docs at
 * developer.atlassian.com/cloud/bitbucket/rest: "Create a build status for a commit"
 * (commitstatus: key, state, url required; key at most 40 characters), "List/Create/Update a
 * comment on a pull request" (pullrequest_comment: content.raw) and "Pagination" (pagelen,
 * page; `next` is a full URL in the body).
 */
import { checkDocumentedRoute, type DocumentedRoute } from './documented-api.testing.js';
import {
  startFakeHost,
  type FakeAnswer,
  type FakeHost,
  type RecordedRequest,
} from './fake-host.testing.js';

const REPO = '^/2\\.0/repositories/([\\w.-]+)/([\\w.-]+)';
const COMMENTS = `${REPO}/pullrequests/([0-9]+)/comments`;
const CONTENT = {
  type: 'object',
  required: ['content'],
  additionalProperties: false,
  properties: {
    content: {
      type: 'object',
      required: ['raw'],
      additionalProperties: false,
      properties: { raw: { type: 'string', minLength: 1 } },
    },
  },
};

export const BITBUCKET_ROUTES: readonly DocumentedRoute[] = [
  {
    name: 'create a build status for a commit',
    method: 'POST',
    path: new RegExp(`${REPO}/commit/([0-9a-f]{7,64})/statuses/build$`),
    body: {
      type: 'object',
      required: ['key', 'state', 'url'],
      additionalProperties: false,
      properties: {
        key: { type: 'string', minLength: 1, maxLength: 40 },
        state: { type: 'string', enum: ['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED'] },
        url: { type: 'string', format: 'uri' },
        name: { type: 'string' },
        description: { type: 'string' },
        refname: { type: 'string' },
      },
    },
  },
  {
    name: 'list comments on a pull request',
    method: 'GET',
    path: new RegExp(`${COMMENTS}$`),
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pagelen: { type: 'integer', minimum: 1, maximum: 100 },
        page: { type: 'integer', minimum: 1 },
        q: { type: 'string' },
        sort: { type: 'string' },
      },
    },
  },
  {
    name: 'create a comment on a pull request',
    method: 'POST',
    path: new RegExp(`${COMMENTS}$`),
    body: CONTENT,
  },
  {
    name: 'update a comment on a pull request',
    method: 'PUT',
    path: new RegExp(`${COMMENTS}/([0-9]+)$`),
    body: CONTENT,
  },
];

export interface BitbucketComment {
  id: number;
  pullRequest: number;
  raw: string;
  deleted: boolean;
  inline: boolean;
}

export interface FakeBitbucket extends FakeHost {
  routes: string[];
  comments: BitbucketComment[];
  statuses: Record<string, unknown>[];
  addComment(pullRequest: number, raw: string, extra?: Partial<BitbucketComment>): BitbucketComment;
  commentsOn(pullRequest: number): BitbucketComment[];
}

export async function startFakeBitbucket(
  token: string,
  repository: string,
): Promise<FakeBitbucket> {
  const routes: string[] = [];
  const comments: BitbucketComment[] = [];
  const statuses: Record<string, unknown>[] = [];
  const matched = new WeakMap<RecordedRequest, { name: string; params: string[] }>();
  let nextId = 9000;
  const addComment = (pullRequest: number, raw: string, extra: Partial<BitbucketComment> = {}) => {
    const comment = { id: nextId++, pullRequest, raw, deleted: false, inline: false, ...extra };
    comments.push(comment);
    return comment;
  };

  const host = await startFakeHost({
    validate(request) {
      const check = checkDocumentedRoute(BITBUCKET_ROUTES, request);
      const problems = [...check.problems];
      if (check.route) {
        matched.set(request, { name: check.route.name, params: check.params });
        routes.push(check.route.name);
        const repo = `${check.params[0]}/${check.params[1]}`;
        if (repo !== repository) problems.push(`repository ${repo} is not ${repository}`);
      }
      if (request.headers.authorization !== `Bearer ${token}`)
        problems.push('Authorization is not "Bearer <token>"');
      if (request.bodyText && !request.headers['content-type']?.startsWith('application/json')) {
        problems.push(`Content-Type is ${request.headers['content-type']} for a JSON body`);
      }
      return problems;
    },
    handle(request, baseUrl) {
      const { name, params } = matched.get(request)!;
      const body = request.body as { content?: { raw?: string } } & Record<string, unknown>;
      const pullRequest = Number(params[2]);
      switch (name) {
        case 'create a build status for a commit':
          statuses.push({ commit: params[2], ...body });
          return {
            status: 201,
            body: { type: 'build', ...body, created_on: '2025-01-01T00:00:00+00:00' },
          };
        case 'list comments on a pull request':
          return listComments(
            request,
            baseUrl,
            comments.filter((c) => c.pullRequest === pullRequest),
          );
        case 'create a comment on a pull request':
          return { status: 201, body: commentJson(addComment(pullRequest, body.content!.raw!)) };
        default: {
          const comment = comments.find(
            (c) => c.id === Number(params[3]) && c.pullRequest === pullRequest,
          );
          if (!comment)
            return {
              status: 404,
              body: { type: 'error', error: { message: 'Comment not found' } },
            };
          comment.raw = body.content!.raw!;
          return { status: 200, body: commentJson(comment) };
        }
      }
    },
  });
  return {
    ...host,
    routes,
    comments,
    statuses,
    addComment,
    commentsOn: (pullRequest) => comments.filter((c) => c.pullRequest === pullRequest),
  };
}

function listComments(
  request: RecordedRequest,
  baseUrl: string,
  onPr: BitbucketComment[],
): FakeAnswer {
  const pagelen = Number(request.query.get('pagelen') ?? 10);
  const page = Number(request.query.get('page') ?? 1);
  const values = onPr.slice((page - 1) * pagelen, page * pagelen).map(commentJson);
  const hasNext = page * pagelen < onPr.length;
  return {
    status: 200,
    body: {
      size: onPr.length,
      page,
      pagelen,
      values,
      ...(hasNext
        ? { next: `${baseUrl}${request.rawPath}?pagelen=${pagelen}&page=${page + 1}` }
        : {}),
    },
  };
}

function commentJson(comment: BitbucketComment): Record<string, unknown> {
  const html = `https://bitbucket.org/acme/penguins/pull-requests/${comment.pullRequest}#comment-${comment.id}`;
  return {
    type: 'pullrequest_comment',
    id: comment.id,
    created_on: '2025-01-01T00:00:00+00:00',
    updated_on: '2025-01-01T00:00:00+00:00',
    content: { type: 'rendered', raw: comment.raw, markup: 'markdown', html: '<p>…</p>' },
    user: {
      type: 'user',
      display_name: 'weft bot',
      uuid: '{00000000-0000-0000-0000-000000000001}',
    },
    deleted: comment.deleted,
    pending: false,
    ...(comment.inline ? { inline: { path: 'README.md', from: null, to: 1 } } : {}),
    links: {
      self: { href: `https://api.bitbucket.org/2.0/comments/${comment.id}` },
      html: { href: html },
    },
    pullrequest: { type: 'pullrequest', id: comment.pullRequest },
  };
}
