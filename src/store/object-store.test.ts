import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestBytes, digestHex, type Digest } from '../core/digest.js';
import { isWeftError } from '../core/errors.js';
import { openObjectStore, type ObjectStore } from './index.js';

let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-store-'));
  store = await openObjectStore(join(dir, 'store'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function objectPath(digest: Digest): string {
  const hex = digestHex(digest);
  return join(store.root, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
}

async function corrupt(digest: Digest): Promise<void> {
  const path = objectPath(digest);
  await chmod(path, 0o644);
  const bytes = await readFile(path);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  await writeFile(path, bytes);
}

async function listAll(): Promise<Digest[]> {
  const digests: Digest[] = [];
  for await (const object of store.list()) digests.push(object.digest);
  return digests.sort();
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isWeftError(error) ? error.code : error).toBe(code);
  return error as Error;
}

describe('ObjectStore puts and reads', () => {
  it('round-trips a file by its sha256 and stores it read-only', async () => {
    const source = join(dir, 'data.bin');
    await writeFile(source, 'hello weft');
    const stored = await store.putFile(source);
    expect(stored).toEqual({ digest: digestBytes('hello weft'), size: 10 });
    expect((await store.readBytes(stored.digest)).toString()).toBe('hello weft');
    expect((await stat(objectPath(stored.digest))).mode & 0o777).toBe(0o444);
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });

  it('keeps one object for the same content stored twice', async () => {
    const source = join(dir, 'a.txt');
    await writeFile(source, 'same');
    const first = await store.putFile(source);
    const second = await store.putBytes('same');
    expect(second).toEqual(first);
    expect(await listAll()).toEqual([first.digest]);
  });

  it('stores JSON canonically so key order does not matter', async () => {
    const a = await store.putJson({ b: 1, a: [1, 2] });
    const b = await store.putJson({ a: [1, 2], b: 1 });
    expect(a.digest).toBe(b.digest);
    expect(await store.readJson(a.digest)).toEqual({ a: [1, 2], b: 1 });
  });

  it('answers has and sizeOf, and reports a missing object as OBJECT_MISSING', async () => {
    const stored = await store.putBytes('12345');
    expect(await store.has(stored.digest)).toBe(true);
    expect(await store.sizeOf(stored.digest)).toBe(5);
    const absent = digestBytes('absent');
    expect(await store.has(absent)).toBe(false);
    await expectCode(store.readBytes(absent), 'OBJECT_MISSING');
    await expectCode(store.sizeOf(absent), 'OBJECT_MISSING');
  });

  it('refuses a malformed digest before touching the disk', async () => {
    await expectCode(store.readBytes('sha256:../../etc/passwd'), 'USAGE');
  });

  it('removes an object', async () => {
    const stored = await store.putBytes('bye');
    await store.remove(stored.digest);
    expect(await store.has(stored.digest)).toBe(false);
  });

  it('stores again into an object directory that was removed meanwhile (as gc may)', async () => {
    const stored = await store.putBytes('again');
    await rm(join(objectPath(stored.digest), '..'), { recursive: true, force: true });
    expect(await store.putBytes('again')).toEqual(stored);
    expect((await store.readBytes(stored.digest)).toString()).toBe('again');
  });
});

describe('ObjectStore directories', () => {
  it('stores a directory as a sorted manifest whose digest names it', async () => {
    const src = join(dir, 'tree');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'z.txt'), 'zz');
    await writeFile(join(src, 'sub', 'a.txt'), 'a');
    const stored = await store.putDir(src);
    expect(stored.kind).toBe('dir');
    expect(stored.size).toBe(3);
    expect(await store.readManifest(stored.digest)).toEqual([
      { path: 'sub/a.txt', digest: digestBytes('a'), size: 1 },
      { path: 'z.txt', digest: digestBytes('zz'), size: 2 },
    ]);
    expect(await store.putPath(src)).toEqual(stored);
    expect(await store.putPath(join(src, 'z.txt'))).toEqual({
      digest: digestBytes('zz'),
      size: 2,
      kind: 'file',
    });
  });

  it('restores a directory over an existing one, replacing its content', async () => {
    const src = join(dir, 'tree');
    await mkdir(join(src, 'deep', 'er'), { recursive: true });
    await writeFile(join(src, 'deep', 'er', 'f.txt'), 'F');
    const stored = await store.putDir(src);
    const dest = join(dir, 'ws', 'out');
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'stale.txt'), 'old');
    await store.restore(stored, dest);
    expect(await readdir(dest)).toEqual(['deep']);
    expect(await readFile(join(dest, 'deep', 'er', 'f.txt'), 'utf8')).toBe('F');
    expect((await stat(join(dest, 'deep', 'er', 'f.txt'))).mode & 0o777).toBe(0o644);
    expect(await readdir(join(dir, 'ws'))).toEqual(['out']);
  });

  it('restores a file, creating parent directories', async () => {
    const stored = await store.putBytes('model');
    const dest = join(dir, 'ws', 'models', 'm.onnx');
    await store.restore({ ...stored, kind: 'file' }, dest);
    expect(await readFile(dest, 'utf8')).toBe('model');
  });
});

describe('ObjectStore corruption', () => {
  it('reports a corrupt object with STORE_CORRUPT, removes it and never returns it', async () => {
    const stored = await store.putBytes('precious bytes');
    await corrupt(stored.digest);
    const error = await expectCode(store.readBytes(stored.digest), 'STORE_CORRUPT');
    expect(error.message).toMatch(
      new RegExp(`^object ${stored.digest} is corrupt \\(content hashes to sha256:[0-9a-f]{64}\\)`),
    );
    expect(error.message).toContain('re-run the stage that produced it');
    expect(await store.has(stored.digest)).toBe(false);
    await expectCode(store.readBytes(stored.digest), 'OBJECT_MISSING');
  });

  it('leaves the destination as it was when restoring a corrupt file', async () => {
    const stored = await store.putBytes('new content');
    await corrupt(stored.digest);
    const dest = join(dir, 'ws', 'out.txt');
    await mkdir(join(dir, 'ws'));
    await writeFile(dest, 'old content');
    await expectCode(store.restore({ ...stored, kind: 'file' }, dest), 'STORE_CORRUPT');
    expect(await readFile(dest, 'utf8')).toBe('old content');
    expect(await readdir(join(dir, 'ws'))).toEqual(['out.txt']);
    expect(await store.has(stored.digest)).toBe(false);
  });

  it('leaves a destination directory as it was when one of its files is corrupt', async () => {
    const src = join(dir, 'tree');
    await mkdir(src);
    await writeFile(join(src, 'a.txt'), 'A');
    await writeFile(join(src, 'b.txt'), 'B');
    const stored = await store.putDir(src);
    await corrupt(digestBytes('B'));
    const dest = join(dir, 'ws', 'out');
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'keep.txt'), 'mine');
    await expectCode(store.restore(stored, dest), 'STORE_CORRUPT');
    expect(await readdir(dest)).toEqual(['keep.txt']);
    expect(await readdir(join(dir, 'ws'))).toEqual(['out']);
  });
});

describe('ObjectStore with deferred sync', () => {
  it('publishes objects and run-cache entries at once and syncs them together', async () => {
    const { store: deferred, sync } = store.withDeferredSync();
    const source = join(dir, 'out.txt');
    await writeFile(source, 'stage output');
    const file = await deferred.putFile(source);
    const json = await deferred.putJson({ b: 1, a: 2 });
    const key = digestBytes('a cache key');
    await deferred.writeRunCache({
      key,
      stage: 'train',
      outs: [{ path: 'out.txt', ...file, kind: 'file' }],
      logDigest: null,
      createdAt: '2026-11-27T00:00:00.000Z',
    });
    // Readable (through the page cache) before the batch is synced.
    expect((await store.readBytes(file.digest)).toString()).toBe('stage output');
    expect(await store.readJson<unknown>(json.digest)).toEqual({ a: 2, b: 1 });
    expect((await store.readRunCache(key))?.stage).toBe('train');
    await sync();
    expect((await stat(objectPath(file.digest))).mode & 0o777).toBe(0o444);
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });

  it('removes its temp file when the rename fails, and its sync still settles', async () => {
    const { store: deferred, sync } = store.withDeferredSync();
    const prefix = digestHex(digestBytes('payload')).slice(0, 2);
    await writeFile(join(store.root, 'objects', 'sha256', prefix), 'a file where a dir goes');
    await expectCode(deferred.putBytes('payload'), 'STORE_IO');
    await sync();
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
    expect(await listAll()).toEqual([]);
  });
});

describe('ObjectStore write failures', () => {
  it('gives STORE_IO and stores nothing when <root>/tmp is not a directory', async () => {
    await rm(join(store.root, 'tmp'), { recursive: true });
    await writeFile(join(store.root, 'tmp'), 'in the way');
    const source = join(dir, 'f.txt');
    await writeFile(source, 'payload');
    const error = await expectCode(store.putFile(source), 'STORE_IO');
    expect(error.message).toMatch(`failed to write object to ${store.root}: `);
    await expectCode(store.putBytes('payload'), 'STORE_IO');
    expect(await listAll()).toEqual([]);
  });

  it.each([
    ['a big file, copied', 3 << 20],
    ['a small file, read whole', 1000],
  ])('removes its temp file when the final rename fails (%s)', async (_, size) => {
    const payload = Buffer.alloc(size, 7);
    const source = join(dir, 'big.bin');
    await writeFile(source, payload);
    const prefix = digestHex(digestBytes(payload)).slice(0, 2);
    await writeFile(join(store.root, 'objects', 'sha256', prefix), 'a file where a dir goes');
    await expectCode(store.putFile(source), 'STORE_IO');
    await expectCode(store.putBytes(payload), 'STORE_IO');
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
    expect(await listAll()).toEqual([]);
  });

  it('gives NOT_FOUND for a source that does not exist', async () => {
    await expectCode(store.putFile(join(dir, 'nope')), 'NOT_FOUND');
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });

  it('gives STORE_IO when the store root cannot be created', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expectCode(openObjectStore(join(dir, 'file', 'store')), 'STORE_IO');
  });
});
