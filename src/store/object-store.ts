import { lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, type Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { mapConcurrent } from './concurrency.js';
import { ingestBytes, ingestFile } from './ingest.js';
import { describeLayout, digestFromParts, objectPathOf, type StoreLayout } from './layout.js';
import {
  digestManifest,
  looksLikeManifest,
  MANIFEST_PROBE_BYTES,
  parseManifest,
  serializeManifest,
} from './manifest.js';
import { missingObjectError, readVerified } from './read-object.js';
import { restoreEntry } from './restore.js';
import {
  listRunCacheEntries,
  readdirOrEmpty,
  readRunCacheEntry,
  removeRunCacheEntry,
  writeRunCacheEntry,
  type WarningSink,
} from './run-cache.js';
import { errnoOf, removeQuietly, toSourceError, toStoreIoError } from './store-io.js';
import { SyncBatch } from './sync-batch.js';
import type { ManifestEntry, PathDigest, RunCacheEntry, StoredObject } from './types.js';
import { listDirFiles } from './walk.js';

export interface ObjectStoreOptions {
  /** Told about problems the store recovered from, e.g. a corrupt run-cache entry it dropped. */
  onWarning?: WarningSink;
}

const PUT_CONCURRENCY = 8;

/** Opens (creating if needed) the store at `root`. */
export async function openObjectStore(
  root: string,
  options: ObjectStoreOptions = {},
): Promise<ObjectStore> {
  const layout = describeLayout(root);
  try {
    for (const dir of [layout.objectsDir, layout.tmpDir, layout.runsDir]) {
      await mkdir(dir, { recursive: true });
    }
  } catch (error) {
    throw toStoreIoError(root, error);
  }
  return new ObjectStore(layout, options);
}

/**
 * Content-addressed objects under `<root>/objects/sha256/<2 hex>/<62 hex>`, plus the run cache.
 * Writes are atomic and safe across processes; every read verifies the digest, and a corrupt
 * object is removed and reported instead of returned. Use openObjectStore to create one.
 */
export class ObjectStore {
  readonly root: string;

  constructor(
    private readonly layout: StoreLayout,
    private readonly options: ObjectStoreOptions = {},
    private readonly syncs?: SyncBatch,
  ) {
    this.root = layout.root;
  }

  /**
   * The same store, but its small writes do not wait for the disk: each object is published at
   * once and fsynced in the background, `sync()` waits for all of them (see SyncBatch), and
   * run-cache entries are left to the kernel. For a pipeline run, which syncs before anything
   * durable points at what it stored.
   */
  withDeferredSync(): { store: ObjectStore; sync: () => Promise<void> } {
    const syncs = new SyncBatch();
    return {
      store: new ObjectStore(this.layout, this.options, syncs),
      sync: () =>
        syncs.settle().catch((error: unknown) => {
          throw toStoreIoError(this.root, error);
        }),
    };
  }

  putFile(absPath: string): Promise<StoredObject> {
    return ingestFile(this.layout, absPath, this.syncs);
  }

  putBytes(data: Uint8Array | string): Promise<StoredObject> {
    return ingestBytes(this.layout, data, this.syncs);
  }

  putJson(value: unknown): Promise<StoredObject> {
    return this.putBytes(canonicalJson(value));
  }

  /** Stores every file under `absDir`, then the manifest; the manifest's digest names the dir. */
  async putDir(absDir: string): Promise<PathDigest> {
    const files = await listDirFiles(absDir);
    const entries = await mapConcurrent(files, PUT_CONCURRENCY, async (file) => ({
      path: file.rel,
      ...(await this.putFile(file.abs)),
    }));
    const dir = digestManifest(entries);
    await this.putBytes(serializeManifest(entries));
    return dir;
  }

  async putPath(absPath: string): Promise<PathDigest> {
    const info = await stat(absPath).catch((error: unknown) => {
      throw toSourceError(absPath, error);
    });
    if (info.isDirectory()) return this.putDir(absPath);
    if (info.isFile()) return { ...(await this.putFile(absPath)), kind: 'file' };
    throw new WeftError('STORE_IO', `failed to store ${absPath}: not a file or directory`);
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.statObject(digest)) !== undefined;
  }

  async sizeOf(digest: Digest): Promise<number> {
    const info = await this.statObject(digest);
    if (info === undefined) throw missingObjectError(this.layout, digest);
    return info.size;
  }

  readBytes(digest: Digest): Promise<Buffer> {
    return readVerified(this.layout, digest);
  }

  async readJson<T>(digest: Digest): Promise<T> {
    const text = (await this.readBytes(digest)).toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new WeftError('STORE_CORRUPT', `object ${digest} is not JSON; it is not a record`);
    }
  }

  async readManifest(digest: Digest): Promise<ManifestEntry[]> {
    const manifest = parseManifest((await this.readBytes(digest)).toString('utf8'));
    if (manifest === undefined) {
      throw new WeftError('STORE_CORRUPT', `object ${digest} is not a directory manifest`);
    }
    return manifest;
  }

  /**
   * The manifest if `digest` is a stored directory manifest, else undefined (missing object or
   * a plain file). Only manifest-looking objects are read whole, so large files cost one peek.
   */
  async probeManifest(digest: Digest): Promise<ManifestEntry[] | undefined> {
    const head = await this.readHead(digest, MANIFEST_PROBE_BYTES);
    if (head === undefined || !looksLikeManifest(head)) return undefined;
    return parseManifest((await this.readBytes(digest)).toString('utf8'));
  }

  restore(entry: PathDigest, destAbs: string): Promise<void> {
    return restoreEntry(this.layout, entry, destAbs, (digest) => this.readManifest(digest));
  }

  async *list(): AsyncGenerator<StoredObject> {
    for (const prefix of await this.readdirOrFail(this.layout.objectsDir)) {
      for (const name of await this.readdirOrFail(join(this.layout.objectsDir, prefix))) {
        const digest = digestFromParts(prefix, name);
        const info = digest === undefined ? undefined : await this.statObject(digest);
        if (digest !== undefined && info !== undefined) yield { digest, size: info.size };
      }
    }
  }

  async remove(digest: Digest): Promise<void> {
    await rm(objectPathOf(this.layout, digest), { force: true }).catch((error: unknown) => {
      throw toStoreIoError(this.root, error);
    });
  }

  readRunCache(
    key: Digest,
    onWarning = this.options.onWarning,
  ): Promise<RunCacheEntry | undefined> {
    return readRunCacheEntry(this.layout, key, onWarning);
  }

  writeRunCache(entry: RunCacheEntry): Promise<void> {
    return writeRunCacheEntry(this.layout, entry, this.syncs ? 'cache' : 'now');
  }

  listRunCache(onWarning = this.options.onWarning): AsyncGenerator<RunCacheEntry> {
    return listRunCacheEntries(this.layout, onWarning);
  }

  removeRunCache(key: Digest): Promise<void> {
    return removeRunCacheEntry(this.layout, key);
  }

  /** Deletes leftovers in `<root>/tmp` (from killed writers) last touched before `cutoffMs`. */
  async removeStaleTemp(cutoffMs: number): Promise<number> {
    let removed = 0;
    for (const name of await this.readdirOrFail(this.layout.tmpDir)) {
      const path = join(this.layout.tmpDir, name);
      const info = await lstat(path).catch(() => undefined);
      if (info === undefined || info.mtimeMs >= cutoffMs) continue;
      await removeQuietly(path);
      removed += 1;
    }
    return removed;
  }

  private async statObject(digest: Digest): Promise<{ size: number } | undefined> {
    try {
      return await stat(objectPathOf(this.layout, digest));
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return undefined;
      throw toStoreIoError(this.root, error, 'read');
    }
  }

  private async readHead(digest: Digest, length: number): Promise<string | undefined> {
    let handle;
    try {
      handle = await open(objectPathOf(this.layout, digest), 'r');
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return undefined;
      throw toStoreIoError(this.root, error, 'read');
    } finally {
      await handle?.close();
    }
  }

  private async readdirOrFail(dir: string): Promise<string[]> {
    return readdirOrEmpty(dir).catch((error: unknown) => {
      throw toStoreIoError(this.root, error, 'read');
    });
  }
}
