import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestBytes, type Digest } from '../core/digest.js';
import {
  collectGarbage,
  openObjectStore,
  type ObjectStore,
  type RunCacheEntry,
  type StoredObject,
} from './index.js';

let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-gc-'));
  store = await openObjectStore(join(dir, 'store'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listAll(): Promise<Digest[]> {
  const digests: Digest[] = [];
  for await (const object of store.list()) digests.push(object.digest);
  return digests.sort();
}

function runEntry(key: string, outs: RunCacheEntry['outs']): RunCacheEntry {
  return {
    key: digestBytes(key),
    stage: key,
    outs,
    logDigest: null,
    createdAt: '2026-01-01T00:00:00Z',
  };
}

/** A store holding a directory (two files + manifest), one loose kept file and two garbage ones. */
async function seed() {
  const tree = join(dir, 'tree');
  await mkdir(tree);
  await writeFile(join(tree, 'a.txt'), 'tree file a');
  await writeFile(join(tree, 'b.txt'), 'tree file b');
  const treeDigest = await store.putDir(tree);
  const kept = await store.putBytes('kept file');
  const garbage = [await store.putBytes('garbage one'), await store.putBytes('garbage three')];
  return { treeDigest, kept, garbage, firstGarbage: garbage[0] as StoredObject };
}

describe('collectGarbage', () => {
  it('lists exactly the unreferenced objects and their bytes on a dry run, deleting nothing', async () => {
    const { treeDigest, kept, garbage } = await seed();
    const before = await listAll();
    const result = await collectGarbage(store, [treeDigest.digest, kept.digest], { dryRun: true });
    expect(result.removed.map((o) => o.digest).sort()).toEqual(garbage.map((o) => o.digest).sort());
    expect(result.bytes).toBe('garbage one'.length + 'garbage three'.length);
    expect(result.kept).toBe(4);
    expect(await listAll()).toEqual(before);
  });

  it('deletes unreferenced objects and keeps the files a referenced manifest lists', async () => {
    const { treeDigest, kept, garbage } = await seed();
    const result = await collectGarbage(store, [treeDigest.digest, kept.digest]);
    expect(result.removed).toHaveLength(2);
    for (const object of garbage) expect(await store.has(object.digest)).toBe(false);
    expect(await store.has(digestBytes('tree file a'))).toBe(true);
    expect(await store.has(digestBytes('tree file b'))).toBe(true);
    await store.restore(treeDigest, join(dir, 'restored'));
    expect((await readdir(join(dir, 'restored'))).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('drops run-cache entries whose outputs gc deleted, and keeps whole ones', async () => {
    const { treeDigest, kept, firstGarbage } = await seed();
    const whole = runEntry('whole', [
      { path: 'out', ...treeDigest },
      { path: 'kept.txt', ...kept, kind: 'file' },
    ]);
    const dangling = runEntry('dangling', [{ path: 'g.txt', ...firstGarbage, kind: 'file' }]);
    await store.writeRunCache(whole);
    await store.writeRunCache(dangling);

    const dry = await collectGarbage(store, [treeDigest.digest, kept.digest], { dryRun: true });
    expect(dry.runCacheEntriesRemoved).toBe(1);
    expect(await store.readRunCache(dangling.key)).toEqual(dangling);

    const real = await collectGarbage(store, [treeDigest.digest, kept.digest]);
    expect(real.runCacheEntriesRemoved).toBe(1);
    expect(await store.readRunCache(dangling.key)).toBeUndefined();
    expect(await store.readRunCache(whole.key)).toEqual(whole);
  });

  it('drops a run-cache entry whose directory manifest survives but lost a file', async () => {
    const { treeDigest } = await seed();
    const entry = runEntry('dir-out', [{ path: 'out', ...treeDigest }]);
    await store.writeRunCache(entry);
    // Only the manifest is referenced, but its files are protected through it: entry stays.
    expect((await collectGarbage(store, [treeDigest.digest])).runCacheEntriesRemoved).toBe(0);
    await store.remove(digestBytes('tree file a'));
    expect((await collectGarbage(store, [treeDigest.digest])).runCacheEntriesRemoved).toBe(1);
  });

  it('cleans temp files older than an hour, and only those', async () => {
    const tmp = join(store.root, 'tmp');
    await writeFile(join(tmp, 'stale.tmp'), 'x');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(tmp, 'stale.tmp'), old, old);
    await writeFile(join(tmp, 'live.tmp'), 'y');
    expect((await collectGarbage(store, [], { dryRun: true })).tempFilesRemoved).toBe(0);
    expect((await collectGarbage(store, [])).tempFilesRemoved).toBe(1);
    expect(await readdir(tmp)).toEqual(['live.tmp']);
  });
});
