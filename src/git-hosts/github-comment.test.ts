import { describe, expect } from 'vitest';
import { expectGitHostError as failure, itWithGitHub as it } from './fake-github.testing.js';
import type { CommentResult, GitHubReporter } from './types.js';

const MARKER = '<!-- weft-report:penguins -->';

/** weft's report on pull request #7, under the marker every test looks for. */
function postReport(reporter: GitHubReporter, body: string): Promise<CommentResult> {
  return reporter.upsertComment({ pullRequest: 7, marker: 'weft-report:penguins', body });
}

describe('GitHub pull request comment', () => {
  it('is created once, then updated in place on every push, never duplicated', async ({
    github,
    reporter,
  }) => {
    github.addComment(7, 'LGTM from a human');
    const pushes = ['accuracy 0.91', 'accuracy 0.93', 'accuracy 0.93', 'accuracy 0.95'];
    const results = [];
    for (const body of pushes) {
      results.push(await postReport(reporter, body));
    }
    const id = results[0]!.id;
    expect(results.map((r) => [r.id, r.action])).toEqual([
      [id, 'created'],
      [id, 'updated'],
      [id, 'unchanged'],
      [id, 'updated'],
    ]);
    expect(results[0]!.url).toBe(`https://github.com/octo/weft-demo/pull/7#issuecomment-${id}`);
    expect(github.commentsOn(7).map((c) => c.body)).toEqual([
      'LGTM from a human',
      `${MARKER}\naccuracy 0.95`,
    ]);
    expect(github.operations.filter((op) => op === 'issues/create-comment')).toHaveLength(1);
  });

  it('keeps the body as is when it already holds the marker', async ({ github, reporter }) => {
    await postReport(reporter, `## Report\n${MARKER}\nok`);
    expect(github.commentsOn(7).map((c) => c.body)).toEqual([`## Report\n${MARKER}\nok`]);
  });

  it('finds its comment on a later page', async ({ github, reporter }) => {
    for (let i = 0; i < 150; i++) github.addComment(7, `comment ${i}`);
    const own = github.addComment(7, `${MARKER}\nold report`);
    const result = await postReport(reporter, 'new report');
    expect(result).toMatchObject({ id: own.id, action: 'updated' });
    expect(github.operations).toEqual([
      'issues/list-comments',
      'issues/list-comments',
      'issues/update-comment',
    ]);
    expect(github.requests[1]!.query.get('page')).toBe('2');
    expect(github.commentsOn(7)).toHaveLength(151);
  });

  it('looks again instead of posting twice when a create’s answer is lost', async ({
    github,
    reporter,
  }) => {
    github.faults.push({ method: 'POST', answer: 'reset', afterApply: true });
    const result = await postReport(reporter, 'report');
    expect(result.action).toBe('created');
    expect(github.commentsOn(7)).toHaveLength(1);
    expect(github.operations).toEqual([
      'issues/list-comments',
      'issues/create-comment',
      'issues/list-comments',
    ]);
  });

  it('creates again after a 503 that created nothing', async ({ github, clock, reporter }) => {
    github.faults.push({
      method: 'POST',
      answer: { status: 503, body: { message: 'Service Unavailable' } },
    });
    const result = await postReport(reporter, 'report');
    expect(result.action).toBe('created');
    expect(github.commentsOn(7)).toHaveLength(1);
    expect(clock.waits).toHaveLength(1);
  });

  it('retries an update after a 500: updating twice does no harm', async ({ github, reporter }) => {
    github.addComment(7, `${MARKER}\nold`);
    github.faults.push({ method: 'PATCH', answer: { status: 500, body: { message: 'boom' } } });
    const result = await postReport(reporter, 'new');
    expect(result.action).toBe('updated');
    expect(github.operations.filter((op) => op === 'issues/update-comment')).toHaveLength(2);
  });

  it('does not retry a 422 on create', async ({ github, reporter }) => {
    github.faults.push({
      method: 'POST',
      answer: {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              field: 'body',
              code: 'custom',
              message: 'body is too long',
            },
          ],
        },
      },
    });
    const error = await failure(postReport(reporter, 'x'));
    expect(error.message).toContain('failed to comment on pull request #7 on GitHub: POST');
    expect(error.message).toContain('answered 422: Validation Failed (body is too long)');
    expect(github.comments).toHaveLength(0);
  });

  it('cuts a body over 65536 characters and keeps the marker', async ({ github, reporter }) => {
    await postReport(reporter, 'y'.repeat(70_000));
    const [comment] = github.commentsOn(7);
    expect(comment!.body.length).toBe(65_536);
    expect(comment!.body.startsWith(MARKER)).toBe(true);
  });

  it('refuses to follow a next-page link to another host', async ({ github, reporter }) => {
    github.faults.push({
      method: 'GET',
      answer: {
        status: 200,
        body: [],
        headers: { Link: '<https://elsewhere.example/steal?page=2>; rel="next"' },
      },
    });
    const error = await failure(postReport(reporter, 'x'));
    expect(error.message).toContain(`refused to send the token outside ${github.url}`);
    expect(github.requests).toHaveLength(1);
  });
});
