import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../../test/utils/example-repo.js';
import { GitSource, type GitSourceOptions } from './git-source.js';
import { SourceFetchError } from './source-errors.js';
import type { GitSourceSpec } from './source-spec.js';

let root: string;
let origin: Origin;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'weft-source-')));
  origin = await createOrigin(root);
});

afterEach(() => rm(root, { recursive: true, force: true }));

interface Origin {
  /** The bare repository everyone pushes to. */
  dir: string;
  /** Commits `files` in a second clone and pushes it to `main`; returns the commit. */
  push(files: Record<string, string>, message: string): Promise<string>;
  pushTag(name: string): Promise<void>;
}

async function createOrigin(parent: string): Promise<Origin> {
  const dir = join(parent, 'origin.git');
  const work = join(parent, 'author');
  await git(parent, 'init', '-q', '--bare', '-b', 'main', dir);
  await git(parent, 'clone', '-q', dir, work);
  await git(work, 'config', 'user.name', 'Ada Author');
  await git(work, 'config', 'user.email', 'ada@example.com');
  await git(work, 'config', 'commit.gpgsign', 'false');
  const push = async (files: Record<string, string>, message: string): Promise<string> => {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), text);
    }
    await git(work, 'add', '-A');
    await git(work, 'commit', '-q', '-m', message);
    await git(work, 'push', '-q', 'origin', 'HEAD:main');
    return (await git(work, 'rev-parse', 'HEAD')).trim();
  };
  const pushTag = async (name: string): Promise<void> => {
    await git(work, 'tag', '-a', name, '-m', `release ${name}`);
    await git(work, 'push', '-q', 'origin', name);
  };
  return { dir, push, pushTag };
}

function source(spec: Partial<GitSourceSpec> = {}, options: Partial<GitSourceOptions> = {}) {
  const full = { url: origin.dir, ref: { branch: 'main' }, intervalMs: 60_000, ...spec };
  return new GitSource(full, { weftDir: join(root, '.weft'), ...options });
}

describe('GitSource', () => {
  it('fetches a branch from a local path and checks out its tree', async () => {
    const commit = await origin.push({ 'weft.yaml': 'a: 1\n', 'deploy/m.yaml': 'x\n' }, 'first');
    const src = source();
    const fetched = await src.fetch();
    expect(fetched).toEqual({ revision: `main@sha1:${commit}`, commit, changed: true });
    const snapshot = await src.checkout(commit);
    expect(snapshot).toMatchObject({
      url: origin.dir,
      ref: { branch: 'main' },
      revision: `main@sha1:${commit}`,
      commit,
      dir: join(src.cacheDir, 'snapshots', commit),
      author: 'Ada Author <ada@example.com>',
      message: 'first',
    });
    expect(Date.parse(snapshot.committedAt)).not.toBeNaN();
    expect(await readFile(join(snapshot.dir, 'deploy/m.yaml'), 'utf8')).toBe('x\n');
    expect((await readdir(snapshot.dir)).sort()).toEqual(['deploy', 'weft.yaml']);
  });

  it('fetches an annotated tag over file:// and names the revision after the tag', async () => {
    const commit = await origin.push({ 'weft.yaml': 'v: 1\n' }, 'release');
    await origin.pushTag('v1');
    await origin.push({ 'weft.yaml': 'v: 2\n' }, 'after the release');
    const src = source({ url: pathToFileURL(origin.dir).href, ref: { tag: 'v1' } });
    expect(await src.fetch()).toEqual({ revision: `v1@sha1:${commit}`, commit, changed: true });
    const snapshot = await src.checkout(commit);
    expect(await readFile(join(snapshot.dir, 'weft.yaml'), 'utf8')).toBe('v: 1\n');
  });

  it('reports no change for the same commit and leaves the snapshots alone', async () => {
    const commit = await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    const src = source();
    await src.fetch();
    const { dir } = await src.checkout(commit);
    const before = await stat(dir);
    const second = await src.fetch();
    expect(second).toEqual({ revision: `main@sha1:${commit}`, commit, changed: false });
    expect(await readdir(src.snapshotsDir)).toEqual([commit]);
    expect((await stat(dir)).mtimeMs).toBe(before.mtimeMs);
  });

  it('sees a commit pushed from another clone on the next fetch', async () => {
    const first = await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    const src = source();
    await src.fetch();
    const old = await src.checkout(first);
    const second = await origin.push({ 'weft.yaml': 'a: 2\n' }, 'second');
    expect(await src.fetch()).toEqual({
      revision: `main@sha1:${second}`,
      commit: second,
      changed: true,
    });
    const snapshot = await src.checkout(second);
    expect(await readFile(join(snapshot.dir, 'weft.yaml'), 'utf8')).toBe('a: 2\n');
    expect(await readFile(join(old.dir, 'weft.yaml'), 'utf8')).toBe('a: 1\n');
  });

  it('reports no change after a restart when told the last commit', async () => {
    const commit = await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    await source().fetch();
    expect(await source({}, { lastCommit: commit }).fetch()).toMatchObject({ changed: false });
  });

  it('fails with FetchFailed when the origin is gone and keeps the last snapshot usable', async () => {
    const commit = await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    const src = source();
    await src.fetch();
    const { dir } = await src.checkout(commit);
    await rm(origin.dir, { recursive: true });
    const error = await src.fetch().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFetchError);
    expect(error).toMatchObject({ code: 'SOURCE_FAILED', reason: 'FetchFailed' });
    expect((error as Error).message).toContain(`failed to fetch ${origin.dir}: fatal:`);
    expect(await readFile(join(dir, 'weft.yaml'), 'utf8')).toBe('a: 1\n');
    expect((await src.checkout(commit)).dir).toBe(dir);
  });

  it('fails with FetchFailed when the branch does not exist', async () => {
    await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    const error = await source({ ref: { branch: 'nope' } })
      .fetch()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'FetchFailed' });
    expect((error as Error).message).toMatch(/couldn't find remote ref refs\/heads\/nope/);
  });

  it('uses a complete snapshot despite a half-written one left by a crash, and gc removes it', async () => {
    const commit = await origin.push({ 'weft.yaml': 'a: 1\n', 'b.txt': 'b\n' }, 'first');
    const src = source();
    await src.fetch();
    const leftover = join(src.snapshotsDir, `.tmp-${commit}-dead`);
    await mkdir(leftover, { recursive: true });
    await writeFile(join(leftover, 'weft.yaml'), 'a: ');
    const { dir } = await src.checkout(commit);
    expect((await readdir(dir)).sort()).toEqual(['b.txt', 'weft.yaml']);
    expect(await src.gc([commit])).toEqual([]);
    expect(await readdir(src.snapshotsDir)).toEqual([commit]);
  });

  it('gc removes the snapshots of commits not kept', async () => {
    const first = await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    const src = source();
    await src.fetch();
    await src.checkout(first);
    const second = await origin.push({ 'weft.yaml': 'a: 2\n' }, 'second');
    await src.fetch();
    await src.checkout(second);
    expect(await src.gc([second])).toEqual([first]);
    expect(await readdir(src.snapshotsDir)).toEqual([second]);
  });

  it('refuses to check out anything but a full commit sha', async () => {
    await expect(source().checkout('../../etc')).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('fails checking out a commit it never fetched without leaving a snapshot', async () => {
    await origin.push({ 'weft.yaml': 'a: 1\n' }, 'first');
    const src = source();
    await src.fetch();
    const missing = 'f'.repeat(40);
    await expect(src.checkout(missing)).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
    expect(await readdir(src.snapshotsDir).catch(() => [])).toEqual([]);
  });
});
