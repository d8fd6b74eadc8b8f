import { inspect } from 'node:util';
import { describe, expect } from 'vitest';
import {
  expectGitHostError as failure,
  GITHUB_TEST_TOKEN as TOKEN,
  itWithGitHub as it,
  startFakeGitHub,
} from './fake-github.testing.js';
import { createGitHubReporter } from './github.js';

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

describe('GitHub commit statuses', () => {
  it('posts a status the OpenAPI description accepts, description cut to 140 characters', async ({
    github,
    reporter,
  }) => {
    await reporter.setCommitStatus({
      sha: SHA,
      state: 'success',
      context: 'weft/ci',
      description: `gates passed ${'x'.repeat(200)}`,
      targetUrl: 'https://ci.example.com/runs/1',
    });
    expect(github.operations).toEqual(['repos/create-commit-status']);
    expect(github.statuses).toEqual([
      {
        sha: SHA,
        state: 'success',
        context: 'weft/ci',
        description: expect.stringMatching(/^gates passed x+…$/) as unknown,
        target_url: 'https://ci.example.com/runs/1',
      },
    ]);
    expect((github.statuses[0]!.description as string).length).toBe(140);
  });

  it('does not retry a 422 and says host, method, path, status and GitHub’s message', async ({
    github,
    reporter,
  }) => {
    github.faults.push({
      method: 'POST',
      answer: {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'Status',
              code: 'custom',
              message: 'This SHA and context has reached the maximum number of statuses.',
            },
          ],
          documentation_url: 'https://docs.github.com/rest/commits/statuses',
        },
      },
    });
    const error = await failure(
      reporter.setCommitStatus({ sha: SHA, state: 'failure', context: 'weft/ci' }),
    );
    expect(github.requests).toHaveLength(1);
    expect(error.code).toBe('SOURCE_FAILED');
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      `failed to set a commit status on GitHub: POST ${github.url}/repos/octo/weft-demo/statuses/${SHA} answered 422: Validation Failed (This SHA and context has reached the maximum number of statuses.)`,
    );
  });

  it('retries 5xx with backoff, then gives up naming the attempts', async ({
    github,
    clock,
    reporter,
  }) => {
    for (let i = 0; i < 4; i++)
      github.faults.push({
        method: 'POST',
        answer: { status: 502, body: { message: 'Server Error' } },
      });
    const error = await failure(
      reporter.setCommitStatus({ sha: SHA, state: 'pending', context: 'weft/ci' }),
    );
    expect(github.requests).toHaveLength(4);
    expect(clock.waits).toEqual([250, 500, 1000]); // full jitter at random() = 0.5
    expect(error.message).toMatch(/answered 502: Server Error \(after 4 attempts\)$/);
  });

  it('waits as long as Retry-After asks on 429, then succeeds', async ({
    github,
    clock,
    reporter,
  }) => {
    github.faults.push({
      method: 'POST',
      answer: { status: 429, headers: { 'Retry-After': '3' }, body: { message: 'slow down' } },
    });
    await reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' });
    expect(clock.waits).toEqual([3000]);
    expect(github.statuses).toHaveLength(1);
  });

  it('waits for the rate-limit reset on a 403 with x-ratelimit-remaining: 0', async ({
    github,
    clock,
    reporter,
  }) => {
    const reset = String(Math.floor(clock.now() / 1000) + 10);
    github.faults.push({
      method: 'POST',
      answer: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        body: { message: 'API rate limit exceeded' },
      },
    });
    await reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' });
    expect(clock.waits).toEqual([10_000]);
  });

  it('gives up at once when the host asks to wait longer than a minute', async ({
    github,
    clock,
    reporter,
  }) => {
    github.faults.push({
      method: 'POST',
      answer: {
        status: 429,
        headers: { 'Retry-After': '3600' },
        body: { message: 'secondary rate limit' },
      },
    });
    const error = await failure(
      reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' }),
    );
    expect(clock.waits).toEqual([]);
    expect(error.message).toMatch(
      /answered 429: secondary rate limit; it asked to wait 3600 s, longer than the 60 s weft waits; try again later$/,
    );
  });

  it('a 404 says so and hints at the token', async ({ github, reporter }) => {
    github.faults.push({ method: 'POST', answer: { status: 404, body: { message: 'Not Found' } } });
    const error = await failure(
      reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' }),
    );
    expect(error.message).toMatch(
      /answered 404: Not Found; check the repository and number, and that the token in GITHUB_TOKEN can see them$/,
    );
  });

  it('never puts the token in an error, even when the host echoes it', async ({
    github,
    reporter,
  }) => {
    github.faults.push({
      method: 'POST',
      answer: { status: 401, body: { message: `Bad credentials: ${TOKEN}` } },
    });
    const error = await failure(
      reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' }),
    );
    expect(error.message).toContain('answered 401: Bad credentials: ***');
    expect(inspect(error, { depth: 5 })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });
});

describe('GitHub unreachable', () => {
  it('retries a refused connection, then says which host could not be reached', async ({
    clock,
  }) => {
    const gone = await startFakeGitHub(TOKEN);
    await gone.close();
    const warnings: string[] = [];
    const offline = createGitHubReporter(
      { token: TOKEN, repository: 'octo/weft-demo', apiUrl: gone.url },
      {
        ...clock,
        logger: { warn: (fields, message) => warnings.push(JSON.stringify(fields) + message) },
      },
    );
    const error = await failure(
      offline.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' }),
    );
    expect(error.message).toBe(
      `failed to set a commit status on GitHub: POST ${gone.url}/repos/octo/weft-demo/statuses/${SHA} failed: network error ECONNREFUSED (after 4 attempts)`,
    );
    expect(error.status).toBeUndefined();
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).not.toContain(TOKEN);
  });
});

describe('GitHub check runs', () => {
  it('creates a completed check run the OpenAPI description accepts', async ({
    github,
    clock,
    reporter,
  }) => {
    const run = await reporter.createCheckRun({
      sha: SHA,
      name: 'weft',
      conclusion: 'failure',
      title: '1 gate failed',
      summary: '## accuracy 0.81 < 0.90',
      text: 'details',
      detailsUrl: 'https://ci.example.com/runs/1',
    });
    expect(run.id).toBe(4001);
    expect(github.operations).toEqual(['checks/create']);
    expect(github.checkRuns[0]).toEqual({
      name: 'weft',
      head_sha: SHA,
      status: 'completed',
      conclusion: 'failure',
      completed_at: new Date(clock.now()).toISOString(),
      details_url: 'https://ci.example.com/runs/1',
      output: { title: '1 gate failed', summary: '## accuracy 0.81 < 0.90', text: 'details' },
    });
  });

  it('creates an in-progress run without a conclusion', async ({ github, reporter }) => {
    await reporter.createCheckRun({
      sha: SHA,
      name: 'weft',
      title: 'running',
      summary: 'evaluating',
    });
    expect(github.checkRuns[0]).toMatchObject({ status: 'in_progress' });
    expect(github.checkRuns[0]).not.toHaveProperty('conclusion');
  });
});

describe('the fake GitHub', () => {
  it('flags requests that break the OpenAPI description or the documented headers', async ({
    github,
  }) => {
    const send = (path: string, init: RequestInit) => fetch(`${github.url}${path}`, init);
    const headers = {
      Authorization: `Bearer ${TOKEN}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'test',
      'Content-Type': 'application/json',
    };
    const statusPath = `/repos/octo/weft-demo/statuses/${SHA}`;
    const bad: [string, RequestInit][] = [
      [statusPath, { method: 'POST', headers, body: JSON.stringify({ state: 'ok' }) }],
      [
        statusPath,
        { method: 'POST', headers, body: JSON.stringify({ state: 'success', targetUrl: 'x' }) },
      ],
      ['/repos/octo/weft-demo/issues/7/comments?per-page=100', { headers }],
      ['/repos/octo/weft-demo/issues/seven/comments', { headers }],
      [
        statusPath,
        {
          method: 'POST',
          headers: { ...headers, Accept: 'application/json' },
          body: '{"state":"success"}',
        },
      ],
    ];
    for (const [path, init] of bad) expect((await send(path, init)).status).toBe(400);
    expect(github.problems).toEqual([
      expect.stringContaining('must be equal to one of the allowed values') as unknown,
      expect.stringContaining('must NOT have additional properties') as unknown,
      expect.stringContaining('query parameter per-page is not declared') as unknown,
      expect.stringContaining('path parameter issue_number "seven" is not a number') as unknown,
      expect.stringContaining('Accept is application/json') as unknown,
    ]);
    github.problems.length = 0;
  });
});
