import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGitHostError } from './errors.js';
import { instantClock } from './fake-host.testing.js';
import { startFakeGitLab, type FakeGitLab } from './fake-gitlab.testing.js';
import { createGitLabReporter } from './gitlab.js';
import type { GitHostReporter } from './types.js';

const TOKEN = 'glpat-TESTtoken0123456789ab';
const PROJECT = 'ml-team/models/penguins';
const SHA = 'e10dae226959c2194f2b07b077c07762d93821cf';
const MARKER = '<!-- weft-report:penguins -->';

let gitlab: FakeGitLab;
let clock: ReturnType<typeof instantClock>;
let reporter: GitHostReporter;

function reporterFor(project: string): GitHostReporter {
  return createGitLabReporter(
    { token: TOKEN, project, apiUrl: `${gitlab.url}/api/v4`, tokenSource: 'GITLAB_TOKEN' },
    { sleep: clock.sleep, now: clock.now, random: clock.random },
  );
}

beforeEach(async () => {
  gitlab = await startFakeGitLab(TOKEN, PROJECT);
  clock = instantClock();
  reporter = reporterFor(PROJECT);
});

afterEach(async () => {
  expect(gitlab.problems).toEqual([]);
  await gitlab.close();
});

describe('GitLab commit statuses', () => {
  it('posts each state in GitLab’s words to the URL-encoded project', async () => {
    for (const state of ['pending', 'success', 'failure', 'error'] as const) {
      await reporter.setCommitStatus({
        sha: SHA,
        state,
        context: `weft/${state}`,
        description: 'gates',
        targetUrl: 'https://ci.example.com/1',
      });
    }
    expect(gitlab.requests[0]!.rawPath).toBe(
      `/api/v4/projects/ml-team%2Fmodels%2Fpenguins/statuses/${SHA}`,
    );
    expect(gitlab.statuses.map((s) => [s.name, s.state])).toEqual([
      ['weft/pending', 'running'],
      ['weft/success', 'success'],
      ['weft/failure', 'failed'],
      ['weft/error', 'failed'],
    ]);
    expect(gitlab.statuses[0]).toMatchObject({
      description: 'gates',
      target_url: 'https://ci.example.com/1',
    });
  });

  it('takes GitLab’s refusal to repeat a state as done', async () => {
    await reporter.setCommitStatus({ sha: SHA, state: 'pending', context: 'weft/ci' });
    await reporter.setCommitStatus({ sha: SHA, state: 'pending', context: 'weft/ci' });
    expect(gitlab.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(gitlab.statuses).toHaveLength(1);
  });

  it('reports a 404 without retrying, with GitLab’s message', async () => {
    gitlab.faults.push({ answer: { status: 404, body: { message: '404 Project Not Found' } } });
    const error = await reporter
      .setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' })
      .catch((e: unknown) => e);
    expect(isGitHostError(error) && error.message).toBe(
      `failed to set a commit status on GitLab: POST ${gitlab.url}/api/v4/projects/ml-team%2Fmodels%2Fpenguins/statuses/${SHA} answered 404: 404 Project Not Found; check the repository and number, and that the token in GITLAB_TOKEN can see them`,
    );
    expect(gitlab.requests).toHaveLength(1);
  });

  it('accepts a numeric project ID', async () => {
    await gitlab.close();
    gitlab = await startFakeGitLab(TOKEN, '4242');
    await reporterFor('4242').setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' });
    expect(gitlab.requests[0]!.rawPath).toBe(`/api/v4/projects/4242/statuses/${SHA}`);
  });
});

describe('GitLab merge request note', () => {
  it('is created once, then updated in place on every push, never duplicated', async () => {
    gitlab.addNote(5, 'added 1 commit', true);
    gitlab.addNote(5, 'please check the fairness gate');
    const actions = [];
    for (const body of ['v1', 'v2', 'v2', 'v3']) {
      actions.push(
        (await reporter.upsertComment({ pullRequest: 5, marker: 'weft-report:penguins', body }))
          .action,
      );
    }
    expect(actions).toEqual(['created', 'updated', 'unchanged', 'updated']);
    expect(gitlab.notesOn(5).map((n) => n.body)).toEqual([
      'added 1 commit',
      'please check the fairness gate',
      `${MARKER}\nv3`,
    ]);
    expect(gitlab.routes.filter((r) => r === 'create new merge request note')).toHaveLength(1);
    expect(gitlab.requests[0]!.query.get('sort')).toBe('asc');
  });

  it('follows X-Next-Page to find its note on page 2', async () => {
    for (let i = 0; i < 120; i++) gitlab.addNote(5, `note ${i}`);
    const own = gitlab.addNote(5, `${MARKER}\nold`);
    const result = await reporter.upsertComment({
      pullRequest: 5,
      marker: 'weft-report:penguins',
      body: 'new',
    });
    expect(result).toEqual({ id: own.id, action: 'updated' });
    expect(gitlab.requests.map((r) => [r.method, r.query.get('page')])).toEqual([
      ['GET', null],
      ['GET', '2'],
      ['PUT', null],
    ]);
  });

  it('never takes a system note for its own, even one quoting the marker', async () => {
    gitlab.addNote(5, `${MARKER}\nmentioned in a commit`, true);
    const result = await reporter.upsertComment({
      pullRequest: 5,
      marker: 'weft-report:penguins',
      body: 'report',
    });
    expect(result.action).toBe('created');
  });

  it('looks again instead of posting twice when a create’s answer is lost', async () => {
    gitlab.faults.push({ method: 'POST', answer: 'reset', afterApply: true });
    const result = await reporter.upsertComment({
      pullRequest: 5,
      marker: 'weft-report:penguins',
      body: 'report',
    });
    expect(result.action).toBe('created');
    expect(gitlab.notesOn(5)).toHaveLength(1);
  });

  it('retries an update after a 502', async () => {
    gitlab.addNote(5, `${MARKER}\nold`);
    gitlab.faults.push({
      method: 'PUT',
      answer: { status: 502, body: { message: 'Bad Gateway' } },
    });
    await reporter.upsertComment({ pullRequest: 5, marker: 'weft-report:penguins', body: 'new' });
    expect(gitlab.routes.filter((r) => r === 'modify existing merge request note')).toHaveLength(2);
    expect(gitlab.notesOn(5)[0]!.body).toBe(`${MARKER}\nnew`);
  });

  it('does not retry a 422 and keeps the token out of the message', async () => {
    gitlab.faults.push({
      method: 'POST',
      answer: { status: 422, body: { message: { body: [`is invalid for ${TOKEN}`] } } },
    });
    const error = await reporter
      .upsertComment({ pullRequest: 5, marker: 'weft-report:penguins', body: 'x' })
      .catch((e: unknown) => e);
    expect(isGitHostError(error) && error.message).toContain(
      'answered 422: body is invalid for ***',
    );
    expect(String(error)).not.toContain(TOKEN);
    expect(gitlab.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('the fake GitLab', () => {
  it('flags a project path sent unencoded and undocumented fields', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
    const send = (path: string, body: unknown) =>
      fetch(`${gitlab.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(
      (await send(`/api/v4/projects/ml-team/models/penguins/statuses/${SHA}`, { state: 'success' }))
        .status,
    ).toBe(400);
    expect(
      (
        await send(`/api/v4/projects/ml-team%2Fmodels%2Fpenguins/statuses/${SHA}`, {
          state: 'failure',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send(`/api/v4/projects/ml-team%2Fmodels%2Fpenguins/merge_requests/5/notes`, {
          note: 'x',
        })
      ).status,
    ).toBe(400);
    expect(gitlab.problems).toEqual([
      expect.stringContaining('no documented POST route') as unknown,
      expect.stringContaining('must be equal to one of the allowed values') as unknown,
      expect.stringContaining("must have required property 'body'") as unknown,
    ]);
    gitlab.problems.length = 0;
  });
});
