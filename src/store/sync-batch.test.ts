import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncBatch } from './sync-batch.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-sync-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SyncBatch', () => {
  it('syncs the files it was given and skips one removed meanwhile', async () => {
    const batch = new SyncBatch();
    const paths = ['a', 'b', 'c'].map((name) => join(dir, name));
    for (const path of paths) {
      await writeFile(path, path);
      batch.add(path);
    }
    await rm(paths[1] ?? '');
    await batch.settle();
    expect(await readFile(paths[2] ?? '', 'utf8')).toBe(paths[2]);
  });

  it('throws the first failure, and forgets the files it has settled', async () => {
    const batch = new SyncBatch();
    await writeFile(join(dir, 'file'), 'not a directory');
    batch.add(join(dir, 'file', 'object'));
    await expect(batch.settle()).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(batch.settle()).resolves.toBeUndefined();
  });
});
