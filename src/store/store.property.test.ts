import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, isDigest } from '../core/digest.js';
import {
  hashPath,
  openObjectStore,
  serializeManifest,
  StatCache,
  type ObjectStore,
} from './index.js';

let dir: string;
let store: ObjectStore;
let round = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-store-prop-'));
  store = await openObjectStore(join(dir, 'store'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fileArb = fc.record({
  path: fc
    .tuple(
      fc.array(fc.constantFrom('da', 'db', 'dc'), { maxLength: 2 }),
      fc.stringMatching(/^f[a-z0-9._-]{0,6}$/),
    )
    .map(([dirs, file]) => [...dirs, file].join('/')),
  content: fc.string({ maxLength: 40 }),
});

/** Files as (relative path, content); "d" dirs and "f" files never collide. */
const treeArb = (maxLength: number) =>
  fc.uniqueArray(fileArb, { selector: (file) => file.path, minLength: 1, maxLength });

async function writeTree(root: string, files: ReadonlyArray<{ path: string; content: string }>) {
  await mkdir(root, { recursive: true });
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
  }
}

/**
 * Writes a new file (a new inode) in place of any old one, after the filesystem clock has
 * moved on: a file must not look like one it replaced that had the same size and inode.
 */
async function replaceFile(path: string, content: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
}

describe('store properties', () => {
  it('gives a directory the same digest whatever order its files were created in', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(12), fc.func(fc.integer()), async (files, order) => {
        round += 1;
        const shuffled = [...files].sort((a, b) => order(a.path) - order(b.path));
        const first = join(dir, `t${round}`, 'first');
        const second = join(dir, `t${round}`, 'second');
        await writeTree(first, files);
        await writeTree(second, shuffled.reverse());
        const stored = await store.putDir(first);
        expect(await store.putDir(second)).toEqual(stored);
        const cache = new StatCache(join(dir, `t${round}`, 'sc.json'));
        expect(await hashPath(join(dir, `t${round}`), 'second', cache)).toEqual(stored);
      }),
      { numRuns: 25 },
    );
  });

  it('hashes a directory as putDir does after any edits, one stat cache throughout', async () => {
    const opArb = fc.record({
      kind: fc.constantFrom('write', 'delete', 'hash file', 'reload'),
      file: fc.nat(),
      content: fc.string({ maxLength: 8 }),
      // Not after every edit: a digest remembered across several edits must still be right.
      check: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(treeArb(4), fc.array(opArb, { maxLength: 8 }), async (files, ops) => {
        round += 1;
        const root = join(dir, `t${round}`);
        const tree = join(root, 'tree');
        await writeTree(tree, files);
        // A clock far ahead trusts every stat: the edits must show in size, times or inode.
        const options = { now: () => Date.now() + 60_000 };
        let cache = new StatCache(join(root, 'sc.json'), options);
        expect(await hashPath(root, 'tree', cache)).toEqual(await store.putDir(tree));
        for (const op of ops) {
          const path = (files[op.file % files.length] as { path: string }).path;
          if (op.kind === 'write') await replaceFile(join(tree, path), op.content);
          else if (op.kind === 'delete') await rm(join(tree, path), { force: true });
          else if (op.kind === 'hash file') await hashPath(root, `tree/${path}`, cache);
          else {
            await cache.save();
            cache = await StatCache.load(join(root, 'sc.json'), options);
          }
          if (op.check)
            expect(await hashPath(root, 'tree', cache)).toEqual(await store.putDir(tree));
        }
        expect(await hashPath(root, 'tree', cache)).toEqual(await store.putDir(tree));
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips arbitrary bytes through putBytes and readBytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const stored = await store.putBytes(bytes);
        expect(stored.size).toBe(bytes.length);
        expect(new Uint8Array(await store.readBytes(stored.digest))).toEqual(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('serializes manifests exactly as canonical JSON would', () => {
    const entryArb = fc.record({
      path: fc.string({ minLength: 1, maxLength: 20 }),
      digest: fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}` as const),
      size: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 20 }), (entries) => {
        expect(entries.every((entry) => isDigest(entry.digest))).toBe(true);
        const sorted = [...entries].sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        );
        expect(serializeManifest(entries)).toBe(canonicalJson(sorted));
      }),
    );
  });
});
