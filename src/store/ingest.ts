import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  fchmodSync,
  fstatSync,
  fsync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { digestBytes } from '../core/digest.js';
import { isWeftError } from '../core/errors.js';
import { makeTempName, objectPathOf, type StoreLayout } from './layout.js';
import { errnoOf, removeQuietly, toSourceError, toStoreIoError, writeAll } from './store-io.js';
import type { SyncBatch } from './sync-batch.js';
import type { StoredObject } from './types.js';

/** Objects never change once written; read-only guards against tools editing them in place. */
export const OBJECT_MODE = 0o444;
const CHUNK_BYTES = 1 << 20;

/**
 * Files up to this size are read whole first: one already stored (an empty log, an output
 * that came out the same) then costs a read and a stat instead of a copy and an fsync.
 */
const SMALL_FILE_BYTES = 1 << 20;

/**
 * Stores a file in one read pass: each chunk is hashed and written to a temp file as it
 * arrives, then the temp file is fsynced and renamed to its digest. Renaming over an object
 * another process just wrote is harmless (same bytes), and nobody ever sees a partial object.
 */
export async function ingestFile(
  layout: StoreLayout,
  absPath: string,
  syncs?: SyncBatch,
): Promise<StoredObject> {
  const small = readIfSmall(absPath);
  if (small !== undefined) return ingestBytes(layout, small, syncs);
  const tmp = join(layout.tmpDir, makeTempName());
  try {
    const stored = await copyHashing(layout, absPath, tmp);
    await commitObject(layout, tmp, stored);
    return stored;
  } catch (error) {
    await removeQuietly(tmp);
    throw toStoreIoError(layout.root, error);
  }
}

/** With `syncs`, a small object is published at once and fsynced in that batch (see SyncBatch). */
export async function ingestBytes(
  layout: StoreLayout,
  data: Uint8Array | string,
  syncs?: SyncBatch,
): Promise<StoredObject> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const stored = { digest: digestBytes(bytes), size: bytes.length };
  const tmp = join(layout.tmpDir, makeTempName());
  try {
    if (bytes.length <= SMALL_FILE_BYTES) {
      // Renaming over an intact copy another process wrote meanwhile is harmless (same bytes).
      if (!hasIntactSizeSync(layout, stored)) {
        const dest = objectPathOf(layout, stored.digest);
        await publishDurably(tmp, dest, bytes, OBJECT_MODE, syncs ?? 'now');
      }
      return stored;
    }
    if (await hasIntactSize(layout, stored)) return stored;
    await writeDurably(tmp, bytes, OBJECT_MODE);
    await commitObject(layout, tmp, stored);
    return stored;
  } catch (error) {
    await removeQuietly(tmp);
    throw toStoreIoError(layout.root, error);
  }
}

/** Writes `data` to a fresh file and fsyncs it, so a later rename publishes complete bytes. */
async function writeDurably(path: string, data: Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await writeAll(handle, data);
    await handle.sync();
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

/**
 * When a published file reaches the disk: fsynced before it is renamed (`now`), by a batch the
 * caller waits for later (see SyncBatch), or whenever the kernel writes it back (`cache`: for
 * files that are checked when read, so a torn one is only a miss).
 */
export type Durability = 'now' | 'cache' | SyncBatch;

/**
 * Writes small `data` to the fresh file `tmp` and renames it to `dest`: readers see all of it
 * or nothing. Every step but the fsync is synchronous: each costs microseconds, where as
 * promises they cost the main thread ~1.5 ms of round trips through the libuv pool (a cold run
 * of 100 stages writes two of these per stage). The fsync waits on the disk, so it goes to the
 * pool and the main thread does other work meanwhile.
 */
export async function publishDurably(
  tmp: string,
  dest: string,
  data: Uint8Array,
  mode: number,
  durability: Durability = 'now',
): Promise<void> {
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeFileSync(fd, data);
    fchmodSync(fd, mode);
    if (durability === 'now') await fsyncFile(fd);
  } finally {
    closeSync(fd);
  }
  renameIntoDir(tmp, dest);
  if (typeof durability === 'object') durability.add(dest);
}

/** Directories seen to exist: a store has 256 object prefixes, and each is created once. */
const knownDirs = new Set<string>();

/**
 * Renames `tmp` to `dest`, creating dest's directory the first time this process writes there
 * (a recursive mkdir of an existing directory costs as much as the rename). A directory removed
 * meanwhile (gc prunes empty ones) shows up as ENOENT: create it and rename again.
 */
function renameIntoDir(tmp: string, dest: string): void {
  const dir = dirname(dest);
  if (knownDirs.has(dir)) {
    try {
      renameSync(tmp, dest);
      return;
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw error;
      knownDirs.delete(dir);
    }
  }
  mkdirSync(dir, { recursive: true });
  knownDirs.add(dir);
  renameSync(tmp, dest);
}

const fsyncFile = promisify(fsync);

/** Synchronous: a few small reads cost less than the promise round trips of async ones. */
function readIfSmall(path: string): Buffer | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      return fstatSync(fd).size <= SMALL_FILE_BYTES ? readFileSync(fd) : undefined;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw toSourceError(path, error);
  }
}

async function copyHashing(
  layout: StoreLayout,
  source: string,
  tmp: string,
): Promise<StoredObject> {
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(tmp, 'wx', 0o600);
  const input = createReadStream(source, { highWaterMark: CHUNK_BYTES });
  try {
    const chunks = input[Symbol.asyncIterator]();
    for (;;) {
      const next = await chunks.next().catch((error: unknown) => {
        throw toSourceError(source, error);
      });
      if (next.done === true) break;
      const chunk = next.value as Buffer;
      hash.update(chunk);
      size += chunk.length;
      await writeAll(handle, chunk);
    }
    await handle.sync();
    await handle.chmod(OBJECT_MODE);
  } catch (error) {
    throw isWeftError(error) ? error : toStoreIoError(layout.root, error);
  } finally {
    input.destroy();
    await handle.close().catch(() => undefined);
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Moves a finished temp file to its address, or drops it when an intact copy is there. */
async function commitObject(layout: StoreLayout, tmp: string, stored: StoredObject): Promise<void> {
  if (await hasIntactSize(layout, stored)) {
    await removeQuietly(tmp);
    return;
  }
  renameIntoDir(tmp, objectPathOf(layout, stored.digest));
}

/** A same-size object is taken as present; reads verify the bytes, so a bad one is caught there. */
async function hasIntactSize(layout: StoreLayout, stored: StoredObject): Promise<boolean> {
  try {
    return (await stat(objectPathOf(layout, stored.digest))).size === stored.size;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw toStoreIoError(layout.root, error);
  }
}

function hasIntactSizeSync(layout: StoreLayout, stored: StoredObject): boolean {
  const info = statSync(objectPathOf(layout, stored.digest), { throwIfNoEntry: false });
  return info?.size === stored.size;
}
