import {
  mkdir,
  mkdtemp,
  open,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestBytes } from '../core/digest.js';
import { isWeftError } from '../core/errors.js';
import { hashPath, isRacilyClean, openObjectStore, prepareHashPool, StatCache } from './index.js';

let dir: string;
const HOUR_AGO = new Date(Date.now() - 3_600_000);
/** A clock ten seconds ahead: files written by the test are then long settled, never racy. */
const later = (): number => Date.now() + 10_000;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-hash-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(rel: string, content: string): Promise<void> {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), content);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('hashPath', () => {
  it('hashes big directories on worker threads to the digest putDir gives', async () => {
    // 3 x 12 MiB is over the pool threshold, so these files are hashed off the main thread.
    for (const name of ['a', 'b', 'c']) {
      await write(`big/${name}.bin`, name.repeat(12 << 20));
    }
    const cache = new StatCache(join(dir, 'sc.json'), { now: later });
    const hashed = await hashPath(dir, 'big', cache);
    expect(cache.stats.hashed).toBe(3);
    const store = await openObjectStore(join(dir, 'store'));
    expect(hashed).toEqual(await store.putDir(join(dir, 'big')));
    await rm(join(dir, 'big', 'b.bin'));
    await expect(hashPath(dir, 'big/b.bin', cache)).resolves.toBeUndefined();
  });

  it('hashes a directory the cache knows nothing of on the threads, stat included', async () => {
    // 100 files, over the threshold from which the started pool's threads stat them.
    for (let i = 0; i < 100; i++) await write(`fresh/sub-${i % 3}/f${i}.txt`, `file ${i}\n`);
    prepareHashPool();
    const cache = new StatCache(join(dir, 'sc.bin'), { now: later });
    const hashed = await hashPath(dir, 'fresh', cache);
    const store = await openObjectStore(join(dir, 'store'));
    expect(hashed).toEqual(await store.putDir(join(dir, 'fresh')));
    expect(cache.stats.hashed).toBe(100);
    // Recorded with the threads' stats: the next look reads nothing, also after a reload.
    await cache.save();
    const reloaded = await StatCache.load(join(dir, 'sc.bin'), { now: later });
    expect(await hashPath(dir, 'fresh', reloaded)).toEqual(hashed);
    expect(reloaded.stats.hashed).toBe(0);
    // One changed file is found by its stat and hashed alone.
    await write('fresh/sub-1/f1.txt', 'changed!\n');
    const changed = await hashPath(dir, 'fresh', reloaded);
    expect(changed).toEqual(await store.putDir(join(dir, 'fresh')));
    expect(reloaded.stats.hashed).toBe(1);
  });

  it('hashes a file and returns undefined for a path that does not exist', async () => {
    await write('data/a.csv', 'x,y\n1,2\n');
    const cache = new StatCache(join(dir, 'sc.json'));
    expect(await hashPath(dir, 'data/a.csv', cache)).toEqual({
      digest: digestBytes('x,y\n1,2\n'),
      size: 8,
      kind: 'file',
    });
    expect(await hashPath(dir, 'data/missing.csv', cache)).toBeUndefined();
  });

  it('gives a directory the digest putDir gives it', async () => {
    await write('data/b/two.txt', '22');
    await write('data/one.txt', '1');
    const cache = new StatCache(join(dir, 'sc.json'));
    const hashed = await hashPath(dir, './data/', cache);
    const store = await openObjectStore(join(dir, 'store'));
    expect(hashed).toEqual(await store.putDir(join(dir, 'data')));
    expect(hashed).toMatchObject({ kind: 'dir', size: 3 });
  });

  it('follows a symlink to a file inside the directory and names one pointing outside', async () => {
    await write('data/real.txt', 'r');
    await write('outside.txt', 'o');
    await symlink('real.txt', join(dir, 'data', 'link.txt'));
    const cache = new StatCache(join(dir, 'sc.json'));
    const hashed = await hashPath(dir, 'data', cache);
    expect(hashed?.size).toBe(2);

    await symlink('../outside.txt', join(dir, 'data', 'escape.txt'));
    const error: unknown = await hashPath(dir, 'data', cache).catch((thrown: unknown) => thrown);
    expect(isWeftError(error)).toBe(true);
    expect((error as Error).message).toContain('symlink escape.txt points to');
    const store = await openObjectStore(join(dir, 'store'));
    await expect(store.putDir(join(dir, 'data'))).rejects.toThrow('symlink escape.txt points to');
  });

  it('hashes files larger than one read chunk, alone and inside a directory', async () => {
    const big = Buffer.alloc((3 << 20) + 17, 'abc');
    await mkdir(join(dir, 'd'));
    await writeFile(join(dir, 'd', 'big.bin'), big);
    const cache = new StatCache(join(dir, 'sc.json'));
    expect(await hashPath(dir, 'd/big.bin', cache)).toEqual({
      digest: digestBytes(big),
      size: big.length,
      kind: 'file',
    });
    const store = await openObjectStore(join(dir, 'store'));
    expect(await hashPath(dir, 'd', cache)).toEqual(await store.putDir(join(dir, 'd')));
  });
});

describe('StatCache', () => {
  it('does not re-hash an unchanged file', async () => {
    await write('big.bin', 'content');
    const cache = new StatCache(join(dir, 'sc.json'), { now: later });
    const first = await hashPath(dir, 'big.bin', cache);
    const second = await hashPath(dir, 'big.bin', cache);
    expect(second).toEqual(first);
    expect(cache.stats).toEqual({ hashed: 1, reused: 1 });
  });

  it('survives a save and load, and saves only when something changed', async () => {
    await write('d/a.txt', 'a');
    await write('d/b.txt', 'b');
    const path = join(dir, '.weft', 'stat-cache.bin');
    const cache = new StatCache(path, { now: later });
    const first = await hashPath(dir, 'd', cache);
    expect(await cache.save()).toBe(true);
    expect(await cache.save()).toBe(false);

    const loaded = await StatCache.load(path, { now: later });
    expect(await hashPath(dir, 'd', loaded)).toEqual(first);
    expect(loaded.stats).toEqual({ hashed: 0, reused: 2 });
    expect(await loaded.save()).toBe(false);
  });

  it('detects one changed byte with the same size and restored mtime through ctime', async () => {
    await write('model.bin', 'aaaa');
    await utimes(join(dir, 'model.bin'), HOUR_AGO, HOUR_AGO);
    const cache = new StatCache(join(dir, 'sc.json'), { now: later });
    const before = await hashPath(dir, 'model.bin', cache);
    const statBefore = await stat(join(dir, 'model.bin'), { bigint: true });
    await sleep(20); // past the kernel's coarse timestamp tick, so ctime really moves

    const handle = await open(join(dir, 'model.bin'), 'r+');
    await handle.write('b', 0);
    await handle.close();
    await utimes(join(dir, 'model.bin'), HOUR_AGO, HOUR_AGO);
    const statAfter = await stat(join(dir, 'model.bin'), { bigint: true });
    expect(statAfter.mtimeNs).toBe(statBefore.mtimeNs);
    expect(statAfter.size).toBe(statBefore.size);

    const after = await hashPath(dir, 'model.bin', cache);
    expect(after?.digest).toBe(digestBytes('baaa'));
    expect(after?.digest).not.toBe(before?.digest);
    expect(cache.stats.hashed).toBe(2);
  });

  it('detects a file replaced by another of the same size and mtime (new inode)', async () => {
    await write('x.txt', 'one');
    await utimes(join(dir, 'x.txt'), HOUR_AGO, HOUR_AGO);
    const cache = new StatCache(join(dir, 'sc.json'), { now: later });
    await hashPath(dir, 'x.txt', cache);
    await write('x.tmp', 'two');
    await utimes(join(dir, 'x.tmp'), HOUR_AGO, HOUR_AGO);
    await rm(join(dir, 'x.txt'));
    await rename(join(dir, 'x.tmp'), join(dir, 'x.txt'));
    expect((await hashPath(dir, 'x.txt', cache))?.digest).toBe(digestBytes('two'));
  });

  it('re-hashes racily clean entries: the file changed too close to when it was hashed', async () => {
    await write('fresh.txt', 'v1');
    const { mtimeMs } = await stat(join(dir, 'fresh.txt'));
    // Hashed 50 ms after the last write: a second write in that tick could go unseen.
    const cache = new StatCache(join(dir, 'sc.json'), { now: () => mtimeMs + 50 });
    await hashPath(dir, 'fresh.txt', cache);
    await hashPath(dir, 'fresh.txt', cache);
    expect(cache.stats).toEqual({ hashed: 2, reused: 0 });
  });

  it('classifies entries by how close their times are to the hash time', () => {
    const entry = (changedMs: number, hashedAtMs: number) => ({
      size: 1,
      mtimeMs: changedMs,
      ctimeMs: changedMs,
      ino: 1,
      digest: digestBytes(''),
      hashedAtMs,
    });
    expect(isRacilyClean(entry(1_000, 1_050))).toBe(true);
    expect(isRacilyClean(entry(2_000, 1_000))).toBe(true);
    expect(isRacilyClean(entry(1_000, 1_101))).toBe(false);
    expect(isRacilyClean({ ...entry(1_000, 5_000), ctimeMs: 4_990 })).toBe(true);
  });

  it('starts empty from a missing or corrupt cache file, and rewrites it', async () => {
    await write('d/a.txt', 'a');
    const path = join(dir, 'sc.bin');
    const saved = new StatCache(path, { now: later });
    await hashPath(dir, 'd', saved);
    await saved.save();
    const whole = await readFile(path);

    expect((await StatCache.load(join(dir, 'nope.bin'))).size).toBe(0);
    for (const damaged of [whole.subarray(0, whole.length - 3), Buffer.from('{"version":3}')]) {
      await writeFile(path, damaged);
      const corrupt = await StatCache.load(path, { now: later });
      expect(corrupt.size).toBe(0);
      await hashPath(dir, 'd', corrupt);
      expect(await corrupt.save()).toBe(true);
      expect((await StatCache.load(path)).size).toBe(1);
    }
  });

  it('forgets files that were deleted from a hashed directory, or with it', async () => {
    await write('d/keep.txt', 'k');
    await write('d/sub/gone.txt', 'g');
    const cache = new StatCache(join(dir, 'sc.json'), { now: later });
    await hashPath(dir, 'd', cache);
    expect(cache.size).toBe(2);
    await rm(join(dir, 'd', 'sub'), { recursive: true });
    await hashPath(dir, 'd', cache);
    expect(cache.size).toBe(1);
    await rm(join(dir, 'd'), { recursive: true });
    expect(await hashPath(dir, 'd', cache)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('answers an unchanged directory with the digest it remembers, also after a reload', async () => {
    await write('d/a.txt', 'a');
    await write('d/sub/b.txt', 'b');
    const path = join(dir, 'sc.bin');
    const first = new StatCache(path, { now: later });
    const hashed = await hashPath(dir, 'd', first);
    // A remembered digest nothing else could produce shows that it is what answers.
    const remembered = { digest: digestBytes('remembered'), size: 2, kind: 'dir' } as const;
    first.recordDir('d', remembered, 2);
    await first.save();

    const loaded = await StatCache.load(path, { now: later });
    expect(await hashPath(dir, 'd', loaded)).toEqual(remembered);
    expect(loaded.stats).toEqual({ hashed: 0, reused: 2 });
    expect(hashed?.digest).not.toBe(remembered.digest);
  });

  it('forgets a remembered directory digest when a file under it changes', async () => {
    await write('d/a.txt', 'a');
    await write('d/sub/b.txt', 'b');
    const cache = new StatCache(join(dir, 'sc.json'), { now: later });
    const before = await hashPath(dir, 'd', cache);
    // Re-hashed on its own (as a file dep), the file's new row must not leave the old digest.
    await write('d/sub/b.txt.tmp', 'B');
    await rename(join(dir, 'd/sub/b.txt.tmp'), join(dir, 'd/sub/b.txt'));
    await hashPath(dir, 'd/sub/b.txt', cache);
    const after = await hashPath(dir, 'd', cache);
    expect(after?.digest).not.toBe(before?.digest);
    const store = await openObjectStore(join(dir, 'store'));
    expect(after).toEqual(await store.putDir(join(dir, 'd')));
  });
});
