import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../../test/utils/example-repo.js';
import { createRepo, type TempRepo } from '../../test/utils/weft-cli.js';
import { findBaseRevision } from './base-revision.js';

let origin: TempRepo;
let scratch: string;
beforeEach(async () => {
  origin = await createRepo({ 'a.txt': 'one\n' });
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'weft-base-')));
});
afterEach(async () => {
  await origin.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

const head = async (dir: string, rev = 'HEAD'): Promise<string> =>
  (await git(dir, 'rev-parse', rev)).trim();

/** A clone of origin with a branch `feature` two commits ahead of main. */
async function cloneWithFeature(): Promise<string> {
  const dir = join(scratch, 'clone');
  await git(scratch, 'clone', '-q', origin.dir, dir);
  await git(dir, 'checkout', '-qb', 'feature');
  for (const n of [1, 2]) {
    await git(
      dir,
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@t',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      `f${n}`,
    );
  }
  return dir;
}

describe('findBaseRevision', () => {
  it('takes --base as it is, and fails on one that is no commit', async () => {
    const first = await head(origin.dir);
    await origin.commit('second');
    expect(await findBaseRevision(origin.dir, { requested: 'HEAD~1' })).toEqual({
      commit: first,
      label: 'HEAD~1',
    });
    await expect(findBaseRevision(origin.dir, { requested: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("defaults to the merge-base with origin's default branch", async () => {
    const dir = await cloneWithFeature();
    await origin.commit('main moves on');
    await git(dir, 'fetch', '-q');
    expect(await findBaseRevision(dir)).toEqual({
      commit: await head(dir, 'main'),
      label: 'merge-base with origin/main',
    });
  });

  it("prefers the pull request's target branch when the CI names one", async () => {
    await git(origin.dir, 'branch', 'release');
    await origin.commit('main moves on');
    const dir = await cloneWithFeature();
    expect(await findBaseRevision(dir, { targetBranch: 'release' })).toEqual({
      commit: await head(origin.dir, 'release'),
      label: 'merge-base with origin/release',
    });
  });

  it('falls back to HEAD~1 on the default branch itself, or without origin', async () => {
    await origin.commit('second');
    expect(await findBaseRevision(origin.dir)).toEqual({
      commit: await head(origin.dir, 'HEAD~1'),
      label: 'HEAD~1',
    });
    const dir = join(scratch, 'clone');
    await git(scratch, 'clone', '-q', origin.dir, dir);
    expect(await findBaseRevision(dir)).toEqual({
      commit: await head(dir, 'HEAD~1'),
      label: 'HEAD~1',
    });
  });

  it('has no base on the first commit', async () => {
    expect(await findBaseRevision(origin.dir)).toBeNull();
  });
});
