/**
 * Test helper: a fake GitHub REST API on 127.0.0.1. Requests are checked against the published
 * OpenAPI description (github-openapi.testing.ts) and against the headers GitHub's REST docs
 * require (Bearer token, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version:
 * 2022-11-28`, a User-Agent); answers are built from the description's own examples.
 */
import {
  instantClock,
  startFakeHost,
  linkHeader,
  type FakeAnswer,
  type FakeHost,
  type RecordedRequest,
} from './fake-host.testing.js';
import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import { isGitHostError, type GitHostError } from './errors.js';
import { checkGitHubOperation, githubExample } from './github-openapi.testing.js';
import { createGitHubReporter } from './github.js';
import type { GitHubReporter } from './types.js';

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
}

export interface FakeGitHub extends FakeHost {
  /** Every operation called, by operationId, in order. */
  operations: string[];
  comments: StoredComment[];
  statuses: Record<string, unknown>[];
  checkRuns: Record<string, unknown>[];
  /** A comment somebody else wrote. */
  addComment(issue: number, body: string): StoredComment;
  commentsOn(issue: number): StoredComment[];
}

export async function startFakeGitHub(token: string): Promise<FakeGitHub> {
  const operations: string[] = [];
  const comments: StoredComment[] = [];
  const statuses: Record<string, unknown>[] = [];
  const checkRuns: Record<string, unknown>[] = [];
  const operationOf = new WeakMap<
    RecordedRequest,
    { id: string; params: Record<string, string> }
  >();
  let nextId = 1000;
  const addComment = (issue: number, body: string): StoredComment => {
    const comment = { id: nextId++, issue, body };
    comments.push(comment);
    return comment;
  };

  const host = await startFakeHost({
    validate(request) {
      const check = checkGitHubOperation(
        request.method,
        request.rawPath,
        request.query,
        request.body,
        request.bodyText,
      );
      if (check.operationId) {
        operationOf.set(request, { id: check.operationId, params: check.params });
        operations.push(check.operationId);
      }
      return [...check.problems, ...checkHeaders(request, token)];
    },
    handle(request, baseUrl) {
      const { id, params } = operationOf.get(request)!;
      const body = request.body as Record<string, unknown>;
      switch (id) {
        case 'repos/create-commit-status':
          statuses.push({ sha: params.sha, ...body });
          return { status: 201, body: { ...githubExample('status'), ...body } };
        case 'issues/list-comments':
          return listComments(request, baseUrl, comments, Number(params.issue_number));
        case 'issues/create-comment':
          return {
            status: 201,
            body: commentJson(addComment(Number(params.issue_number), String(body.body))),
          };
        case 'issues/update-comment': {
          const comment = comments.find((c) => c.id === Number(params.comment_id));
          if (!comment) return notFound();
          comment.body = String(body.body);
          return { status: 200, body: commentJson(comment) };
        }
        case 'checks/create':
          checkRuns.push(body);
          return {
            status: 201,
            body: { ...githubExample('check-run'), ...body, id: 4000 + checkRuns.length },
          };
        default:
          return notFound();
      }
    },
  });
  return {
    ...host,
    operations,
    comments,
    statuses,
    checkRuns,
    addComment,
    commentsOn: (issue) => comments.filter((c) => c.issue === issue),
  };
}

function checkHeaders(request: RecordedRequest, token: string): string[] {
  const h = request.headers;
  const problems: string[] = [];
  if (h.authorization !== `Bearer ${token}`) problems.push('Authorization is not "Bearer <token>"');
  if (h.accept !== 'application/vnd.github+json') problems.push(`Accept is ${h.accept}`);
  if (h['x-github-api-version'] !== '2022-11-28')
    problems.push('X-GitHub-Api-Version is not 2022-11-28');
  if (!h['user-agent'])
    problems.push('User-Agent is missing (GitHub refuses requests without one)');
  if (request.bodyText && !h['content-type']?.startsWith('application/json')) {
    problems.push(`Content-Type is ${h['content-type']} for a JSON body`);
  }
  return problems;
}

function listComments(
  request: RecordedRequest,
  baseUrl: string,
  all: StoredComment[],
  issue: number,
): FakeAnswer {
  const perPage = Math.min(100, Number(request.query.get('per_page') ?? 30));
  const page = Number(request.query.get('page') ?? 1);
  const onIssue = all.filter((c) => c.issue === issue);
  const last = Math.max(1, Math.ceil(onIssue.length / perPage));
  const pageUrl = (n: number) => `${baseUrl}${request.rawPath}?per_page=${perPage}&page=${n}`;
  const link = linkHeader(pageUrl, page, last);
  return {
    status: 200,
    body: onIssue.slice((page - 1) * perPage, page * perPage).map(commentJson),
    headers: link ? { Link: link } : {},
  };
}

function commentJson(comment: StoredComment): Record<string, unknown> {
  return {
    ...githubExample('issue-comment'),
    id: comment.id,
    body: comment.body,
    url: `https://api.github.com/repos/octo/weft-demo/issues/comments/${comment.id}`,
    html_url: `https://github.com/octo/weft-demo/pull/${comment.issue}#issuecomment-${comment.id}`,
  };
}

function notFound(): FakeAnswer {
  return {
    status: 404,
    body: {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    },
  };
}

export const GITHUB_TEST_TOKEN = 'ghp_TESTtoken0123456789abcdefghijklmnopqr';

interface GitHubWithReporter {
  github: FakeGitHub;
  clock: ReturnType<typeof instantClock>;
  reporter: GitHubReporter;
}

/** A fake GitHub and a reporter for `octo/weft-demo` on it, on a clock that never waits. */
export async function startGitHubWithReporter(): Promise<GitHubWithReporter> {
  const github = await startFakeGitHub(GITHUB_TEST_TOKEN);
  const clock = instantClock();
  return { github, clock, reporter: gitHubReporterOn(github, clock) };
}

/**
 * `it` for tests against the fake GitHub: each test gets its own `github`, a `clock` that never
 * waits and a `reporter` on both. After each test, no request may have broken GitHub's API.
 */
export const itWithGitHub = test.extend<GitHubWithReporter>({
  /* eslint-disable no-empty-pattern -- vitest fixtures must destructure their first argument */
  clock: async ({}, use) => use(instantClock()),
  github: [
    async ({}, use) => {
      const github = await startFakeGitHub(GITHUB_TEST_TOKEN);
      await use(github);
      expect(github.problems).toEqual([]);
      await github.close();
    },
    // Auto: every test's requests are checked, even in a test that names only `clock`.
    { auto: true },
  ],
  /* eslint-enable no-empty-pattern */
  reporter: async ({ github, clock }, use) => use(gitHubReporterOn(github, clock)),
});

function gitHubReporterOn(
  github: FakeGitHub,
  clock: ReturnType<typeof instantClock>,
): GitHubReporter {
  return createGitHubReporter(
    {
      token: GITHUB_TEST_TOKEN,
      repository: 'octo/weft-demo',
      apiUrl: github.url,
      tokenSource: 'GITHUB_TOKEN',
    },
    { sleep: clock.sleep, now: clock.now, random: clock.random },
  );
}

/** The GitHostError `promise` rejects with; anything else fails the test. */
export async function expectGitHostError(promise: Promise<unknown>): Promise<GitHostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isGitHostError(error)) throw new Error(`expected a GitHostError, got ${inspect(error)}`);
  return error;
}
