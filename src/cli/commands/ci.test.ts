import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { git } from '../../../test/utils/example-repo.js';
import { createRepo, type TempRepo } from '../../../test/utils/weft-cli.js';
import type { CiPost } from '../../ci/ci-post.js';
import { registerCi } from './ci.js';

const pipeline = (cmd: string): string => `apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: tiny }
spec:
  stages:
    hello: { cmd: "${cmd}", outs: [out.txt] }
`;

let repo: TempRepo;
let posts: CiPost[];
beforeEach(async () => {
  repo = await createRepo({ 'weft.yaml': pipeline('echo hi > out.txt') });
  posts = [];
  // The comment goes to stdout and progress to stderr; the test reads the posts instead.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await repo.cleanup();
});

/** `weft -C <repo> ci …` in process, with a poster that keeps what it is given. */
async function runCi(args: string[], post = true): Promise<void> {
  const program = new Command('weft').option('-C, --cwd <dir>').exitOverride();
  registerCi(program, post ? { post: (p) => Promise.resolve(void posts.push(p)) } : {});
  await program.parseAsync(['node', 'weft', '-C', repo.dir, 'ci', '-q', ...args]);
}

describe('weft ci --post', () => {
  it('hands the comment, its marker, the verdict and the commit to the poster', async () => {
    await runCi(['--post', '--pr', '5']);
    expect(process.exitCode).toBe(0);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post).toMatchObject({
      marker: '<!-- weft-report:tiny -->',
      markerId: 'weft-report:tiny',
      exitCode: 0,
      statusState: 'success',
      statusDescription: 'the pipeline ran; nothing to validate',
      commit: (await git(repo.dir, 'rev-parse', 'HEAD')).trim(),
      pullRequest: { number: 5, source: '--pr' },
    });
    expect(post?.markdown?.startsWith('<!-- weft-report:tiny -->\n')).toBe(true);
    expect(post?.body).toBe(post?.markdown?.replace('<!-- weft-report:tiny -->\n\n', ''));
    expect(post?.body?.startsWith('## ✅ weft ci: passed')).toBe(true);
    expect(post?.markdown).toContain('### Deployment preview');
  });

  it('posts a failure with exit code 1 when a stage fails', async () => {
    await repo.write('weft.yaml', pipeline('exit 3'));
    await runCi(['--post']);
    expect(process.exitCode).toBe(1);
    expect(posts[0]).toMatchObject({
      exitCode: 1,
      statusState: 'failure',
      statusDescription: 'stage hello failed',
    });
  });

  it('posts an error status, and no comment, when weft ci cannot finish', async () => {
    await repo.write('weft.yaml', 'apiVersion: weft.dev/v1\nkind: Pipeline\n');
    await expect(runCi(['--post'])).rejects.toMatchObject({ code: 'SPEC_INVALID' });
    expect(posts).toEqual([
      expect.objectContaining({
        markdown: null,
        marker: null,
        body: null,
        exitCode: 2,
        statusState: 'error',
        statusDescription: expect.stringMatching(/^weft: weft\.yaml:/) as string,
      }),
    ]);
  });

  it('is refused before anything runs when no Git host can be found to post to', async () => {
    // As on a developer's machine, whatever CI runs this test.
    for (const name of ['GITHUB_ACTIONS', 'GITLAB_CI', 'BITBUCKET_BUILD_NUMBER'])
      vi.stubEnv(name, '');
    await expect(runCi(['--post'], false)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('failed to choose a Git host') as string,
    });
    expect(existsSync(join(repo.dir, 'weft-report'))).toBe(false);
    expect(existsSync(join(repo.dir, 'out.txt'))).toBe(false);
    vi.unstubAllEnvs();
  });
});
