import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGit } from '../source/git.js';
import { cloneForController, commitFiles, initRepo } from './git-origin.fixtures.js';
import { proposeRevert } from './propose-revert.js';

describe('proposeRevert', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-revert-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('pushes a branch that undoes every commit after the last good one', async () => {
    const origin = join(dir, 'origin');
    await initRepo(origin);
    const commit = (text: string) => commitFiles(origin, { 'deploy.yaml': text }, text);
    const good = await commit('version: 1\n');
    await commit('version: 2\n');
    const bad = await commit('version: 3\n');
    const work = join(dir, 'work');
    await cloneForController(origin, work);
    const revert = (goodCommit: string, badCommit: string) =>
      proposeRevert({ workDir: work, repoDir: origin, url: origin, goodCommit, badCommit });

    const proposal = await revert(good, bad);
    expect(proposal?.branch).toBe(`weft/revert-${bad.slice(0, 12)}`);
    const pushed = (await runGit(origin, ['rev-parse', `refs/heads/${proposal?.branch}`])).trim();
    expect(pushed).toBe(proposal?.commit);
    await runGit(origin, ['checkout', '--quiet', proposal?.branch ?? '']);
    expect(await readFile(join(origin, 'deploy.yaml'), 'utf8')).toBe('version: 1\n');
    const author = await runGit(origin, ['log', '-1', '--format=%an <%ae>']);
    expect(author.trim()).toBe('weft controller <controller@weft.invalid>');
    expect(await revert(bad, bad)).toBeNull();
  });
});
