import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStatusKey, createBitbucketReporter } from './bitbucket.js';
import { isGitHostError } from './errors.js';
import { instantClock } from './fake-host.testing.js';
import { startFakeBitbucket, type FakeBitbucket } from './fake-bitbucket.testing.js';
import type { GitHostReporter } from './types.js';

const TOKEN = 'ATCTT3xFfGN0TESTtoken0123456789';
const SHA = 'e10dae226959c2194f2b07b077c07762d93821cf';
const MARKER = '[//]: # (weft-report:penguins)';

let bitbucket: FakeBitbucket;
let clock: ReturnType<typeof instantClock>;
let reporter: GitHostReporter;

beforeEach(async () => {
  bitbucket = await startFakeBitbucket(TOKEN, 'acme/penguins');
  clock = instantClock();
  reporter = createBitbucketReporter(
    {
      token: TOKEN,
      repository: 'acme/penguins',
      apiUrl: `${bitbucket.url}/2.0`,
      tokenSource: 'BITBUCKET_TOKEN',
    },
    { sleep: clock.sleep, now: clock.now, random: clock.random },
  );
});

afterEach(async () => {
  expect(bitbucket.problems).toEqual([]);
  await bitbucket.close();
});

describe('Bitbucket build statuses', () => {
  it('posts each state in Bitbucket’s words, linking the commit when no URL is given', async () => {
    for (const state of ['pending', 'success', 'failure', 'error'] as const) {
      await reporter.setCommitStatus({ sha: SHA, state, context: 'weft/ci', description: 'gates' });
    }
    expect(bitbucket.requests[0]!.rawPath).toBe(
      `/2.0/repositories/acme/penguins/commit/${SHA}/statuses/build`,
    );
    expect(bitbucket.statuses.map((s) => s.state)).toEqual([
      'INPROGRESS',
      'SUCCESSFUL',
      'FAILED',
      'FAILED',
    ]);
    expect(bitbucket.statuses[0]).toEqual({
      commit: SHA,
      key: 'weft/ci',
      state: 'INPROGRESS',
      name: 'weft/ci',
      url: `https://bitbucket.org/acme/penguins/commits/${SHA}`,
      description: 'gates',
    });
  });

  it('shortens a context over 40 characters into a key that stays unique', async () => {
    const context = 'weft/deploy/penguins-production-eu-west-1/canary';
    await reporter.setCommitStatus({
      sha: SHA,
      state: 'success',
      context,
      targetUrl: 'https://weft.example.com/d/1',
    });
    const key = bitbucket.statuses[0]!.key as string;
    expect(key).toHaveLength(40);
    expect(key).not.toBe(buildStatusKey(`${context}-2`));
    expect(bitbucket.statuses[0]).toMatchObject({
      name: context,
      url: 'https://weft.example.com/d/1',
    });
  });

  it('says what Bitbucket refused, field by field, without retrying', async () => {
    bitbucket.faults.push({
      answer: {
        status: 400,
        body: {
          type: 'error',
          error: { message: 'Bad request', fields: { url: ['Enter a valid URL.'] } },
        },
      },
    });
    const error = await reporter
      .setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' })
      .catch((e: unknown) => e);
    expect(isGitHostError(error) && error.message).toMatch(
      /^failed to set a build status on Bitbucket: POST .* answered 400: Bad request: url Enter a valid URL\.$/,
    );
    expect(bitbucket.requests).toHaveLength(1);
  });

  it('retries a 429 with backoff when no Retry-After is given', async () => {
    bitbucket.faults.push({
      answer: {
        status: 429,
        body: {
          type: 'error',
          error: { message: 'Rate limit for this resource has been exceeded' },
        },
      },
    });
    await reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' });
    expect(clock.waits).toEqual([250]);
    expect(bitbucket.statuses).toHaveLength(1);
  });
});

describe('Bitbucket pull request comment', () => {
  it('is created once, then updated in place on every push, never duplicated', async () => {
    bitbucket.addComment(3, 'nice');
    bitbucket.addComment(3, `${MARKER}\ndeleted old report`, { deleted: true });
    bitbucket.addComment(3, `${MARKER}\nan inline comment quoting it`, { inline: true });
    const actions = [];
    for (const body of ['v1', 'v2', 'v2', 'v3']) {
      actions.push(
        (await reporter.upsertComment({ pullRequest: 3, marker: 'weft-report:penguins', body }))
          .action,
      );
    }
    expect(actions).toEqual(['created', 'updated', 'unchanged', 'updated']);
    const live = bitbucket.commentsOn(3).filter((c) => !c.deleted && !c.inline);
    expect(live.map((c) => c.raw)).toEqual(['nice', `${MARKER}\nv3`]);
    expect(bitbucket.routes.filter((r) => r === 'create a comment on a pull request')).toHaveLength(
      1,
    );
  });

  it('follows `next` to find its comment on a later page, and returns its web URL', async () => {
    for (let i = 0; i < 60; i++) bitbucket.addComment(3, `comment ${i}`);
    const own = bitbucket.addComment(3, `${MARKER}\nold`);
    const result = await reporter.upsertComment({
      pullRequest: 3,
      marker: 'weft-report:penguins',
      body: 'new',
    });
    expect(result).toEqual({
      id: own.id,
      url: `https://bitbucket.org/acme/penguins/pull-requests/3#comment-${own.id}`,
      action: 'updated',
    });
    expect(bitbucket.requests.map((r) => [r.method, r.query.get('page')])).toEqual([
      ['GET', null],
      ['GET', '2'],
      ['PUT', null],
    ]);
  });

  it('looks again instead of posting twice when a create’s answer is lost', async () => {
    bitbucket.faults.push({
      method: 'POST',
      answer: { status: 504, body: { type: 'error', error: { message: 'Gateway Timeout' } } },
      afterApply: true,
    });
    const result = await reporter.upsertComment({
      pullRequest: 3,
      marker: 'weft-report:penguins',
      body: 'report',
    });
    expect(result.action).toBe('created');
    expect(bitbucket.commentsOn(3)).toHaveLength(1);
  });

  it('gives up after its rounds when every create fails, having created nothing twice', async () => {
    for (let i = 0; i < 4; i++) bitbucket.faults.push({ method: 'POST', answer: 'reset' });
    const error = await reporter
      .upsertComment({ pullRequest: 3, marker: 'weft-report:penguins', body: 'x' })
      .catch((e: unknown) => e);
    expect(isGitHostError(error) && error.message).toContain(
      'failed to comment on pull request #3 on Bitbucket: POST',
    );
    expect(isGitHostError(error) && error.message).toMatch(/failed: network error/);
    expect(bitbucket.requests.filter((r) => r.method === 'POST')).toHaveLength(4);
    expect(bitbucket.comments).toHaveLength(0);
  });
});

describe('the fake Bitbucket', () => {
  it('flags a build status without its required url, a key over 40 characters, and a wrong comment shape', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
    const post = (path: string, body: unknown) =>
      fetch(`${bitbucket.url}/2.0/repositories/acme/penguins${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    expect(
      (await post(`/commit/${SHA}/statuses/build`, { key: 'k', state: 'SUCCESSFUL' })).status,
    ).toBe(400);
    expect(
      (
        await post(`/commit/${SHA}/statuses/build`, {
          key: 'k'.repeat(41),
          state: 'SUCCESSFUL',
          url: 'https://x.example',
        })
      ).status,
    ).toBe(400);
    expect((await post('/pullrequests/3/comments', { content: 'text' })).status).toBe(400);
    expect(bitbucket.problems).toEqual([
      expect.stringContaining("must have required property 'url'") as unknown,
      expect.stringContaining('must NOT have more than 40 characters') as unknown,
      expect.stringContaining('content must be object') as unknown,
    ]);
    bitbucket.problems.length = 0;
  });
});
