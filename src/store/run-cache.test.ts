import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestBytes, digestHex } from '../core/digest.js';
import { openObjectStore, type ObjectStore, type RunCacheEntry } from './index.js';

let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-runcache-'));
  store = await openObjectStore(join(dir, 'store'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry: RunCacheEntry = {
  key: digestBytes('train key'),
  stage: 'train',
  outs: [{ path: 'models/m.onnx', digest: digestBytes('m'), size: 1, kind: 'file' }],
  logDigest: digestBytes('log'),
  createdAt: '2026-01-01T00:00:00.000Z',
};

function entryPath(): string {
  const hex = digestHex(entry.key);
  return join(store.root, 'runs', 'sha256', hex.slice(0, 2), `${hex.slice(2)}.json`);
}

describe('run cache', () => {
  it('writes, reads, lists and removes an entry', async () => {
    expect(await store.readRunCache(entry.key)).toBeUndefined();
    await store.writeRunCache(entry);
    expect(await store.readRunCache(entry.key)).toEqual(entry);
    const listed: RunCacheEntry[] = [];
    for await (const found of store.listRunCache()) listed.push(found);
    expect(listed).toEqual([entry]);
    await store.removeRunCache(entry.key);
    expect(await store.readRunCache(entry.key)).toBeUndefined();
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });

  it('treats a corrupt entry as a miss, warns, and removes it', async () => {
    await store.writeRunCache(entry);
    await writeFile(entryPath(), '{"key": "sha256:tr');
    const warnings: string[] = [];
    expect(await store.readRunCache(entry.key, (w) => warnings.push(w))).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(`run-cache entry ${entry.key} is corrupt`)]);
    await expect(readdir(join(entryPath(), '..'))).resolves.toEqual([]);
  });

  it('treats an entry filed under another key as corrupt', async () => {
    await store.writeRunCache(entry);
    const other = { ...entry, key: digestBytes('other') };
    await writeFile(entryPath(), JSON.stringify(other));
    const warnings: string[] = [];
    const warned = await openObjectStore(store.root, { onWarning: (w) => warnings.push(w) });
    expect(await warned.readRunCache(entry.key)).toBeUndefined();
    expect(warnings[0]).toContain('key is');
  });

  it('refuses to write a malformed entry', async () => {
    const bad = { ...entry, outs: [{ path: 'x', digest: 'nope', size: 1, kind: 'file' }] };
    await expect(store.writeRunCache(bad as unknown as RunCacheEntry)).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('gives STORE_IO and leaves no temp file when the entry cannot be placed', async () => {
    const hex = digestHex(entry.key);
    await writeFile(join(store.root, 'runs', 'sha256', hex.slice(0, 2)), 'in the way');
    await expect(store.writeRunCache(entry)).rejects.toMatchObject({ code: 'STORE_IO' });
    expect(await readdir(join(store.root, 'tmp'))).toEqual([]);
  });
});
