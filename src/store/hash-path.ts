import type { Stats } from 'node:fs';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { mapConcurrent } from './concurrency.js';
import { hashFile, type HashedFile } from './hash-file.js';
import { hashFilesOnPool, POOL_MIN_BYTES } from './hash-pool.js';
import { digestManifest } from './manifest.js';
import type { StatCache } from './stat-cache.js';
import { errnoOf, toSourceError } from './store-io.js';
import type { ManifestEntry, PathDigest } from './types.js';
import { listDirFiles, type DirFile } from './walk.js';

/** Enough reads in flight to keep the disk busy while the main thread hashes. */
const HASH_CONCURRENCY = 8;
/** Synchronous stats between event-loop turns: see lookUpFiles. */
const STAT_BATCH = 1000;

/**
 * Hashes a workspace path relative to `root`, or returns undefined when it does not exist.
 * Files whose stat still matches the cache are not read; a directory hashes to the digest
 * putDir would give it (the same manifest bytes).
 */
export async function hashPath(
  root: string,
  relPath: string,
  cache: StatCache,
): Promise<PathDigest | undefined> {
  const rel = normalizeRelPath(relPath);
  const abs = join(root, rel);
  const info = await statOrUndefined(abs);
  if (info === undefined) {
    cache.forget(rel);
    cache.forgetUnder(rel, new Set());
    return undefined;
  }
  if (info.isDirectory()) return hashDir(abs, rel, cache);
  if (info.isFile()) return { ...(await hashFileCached(abs, rel, info, cache)), kind: 'file' };
  throw new WeftError('STORE_IO', `failed to hash ${abs}: not a file or directory`);
}

async function hashDir(abs: string, rel: string, cache: StatCache): Promise<PathDigest> {
  const files = await listDirFiles(abs);
  const { entries, misses, keys } = await lookUpFiles(files, rel, cache);
  const missBytes = misses.reduce((sum, miss) => sum + miss.info.size, 0);
  if (missBytes >= POOL_MIN_BYTES) {
    await hashMissesOnPool(files, misses, entries, cache);
  } else {
    await mapConcurrent(misses, HASH_CONCURRENCY, async ({ index, key, info }) => {
      const file = files[index] as DirFile;
      entries[index] = { path: file.rel, ...(await hashAndRecord(file.abs, key, info, cache)) };
    });
  }
  cache.forgetUnder(rel, keys);
  return digestManifest(entries);
}

/** A cold directory with lots of data: hashed in batches on every core. */
async function hashMissesOnPool(
  files: readonly DirFile[],
  misses: readonly CacheMiss[],
  entries: ManifestEntry[],
  cache: StatCache,
): Promise<void> {
  const hashedAtMs = cache.now();
  const paths = misses.map((miss) => (files[miss.index] as DirFile).abs);
  const hashed = await hashFilesOnPool(
    paths,
    misses.map((miss) => miss.info.size),
  );
  misses.forEach((miss, i) => {
    const result = hashed[i] as HashedFile;
    recordIfSettled(cache, miss.key, miss.info, result, hashedAtMs);
    entries[miss.index] = { path: (files[miss.index] as DirFile).rel, ...result };
  });
}

interface CacheMiss {
  index: number;
  key: string;
  info: Stats;
}

/**
 * The warm path: one stat per file and a cache lookup, nothing else. statSync costs a few
 * microseconds where a promise round trip through the libuv pool costs several times that;
 * a yield every STAT_BATCH files keeps the event loop responsive on huge trees. Stats are
 * dropped as soon as they match, so they die young instead of burdening the GC.
 */
async function lookUpFiles(files: readonly DirFile[], rel: string, cache: StatCache) {
  const entries = new Array<ManifestEntry>(files.length);
  const misses: CacheMiss[] = [];
  const keys = new Set<string>();
  for (let index = 0; index < files.length; index++) {
    if (index > 0 && index % STAT_BATCH === 0) await yieldToEventLoop();
    const file = files[index] as DirFile;
    const key = rel === '.' ? file.rel : `${rel}/${file.rel}`;
    keys.add(key);
    const info = statFileSync(file.abs);
    const digest = cache.lookup(key, info);
    if (digest === undefined) misses.push({ index, key, info });
    else entries[index] = { path: file.rel, digest, size: info.size };
  }
  return { entries, misses, keys };
}

function statFileSync(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    throw toSourceError(path, error);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function hashFileCached(
  abs: string,
  rel: string,
  info: Stats,
  cache: StatCache,
): Promise<{ digest: Digest; size: number }> {
  const digest = cache.lookup(rel, info);
  if (digest !== undefined) return { digest, size: info.size };
  return hashAndRecord(abs, rel, info, cache);
}

/** A big file goes to the pool, so stages hashing side by side use every core. */
async function hashAndRecord(
  abs: string,
  rel: string,
  info: Stats,
  cache: StatCache,
): Promise<HashedFile> {
  const hashedAtMs = cache.now();
  const hashed =
    info.size < POOL_MIN_BYTES
      ? await hashFile(abs, info.size)
      : ((await hashFilesOnPool([abs], [info.size]))[0] as HashedFile);
  recordIfSettled(cache, rel, info, hashed, hashedAtMs);
  return hashed;
}

/** A size that moved under us means the file is being written: answer, but do not cache. */
function recordIfSettled(
  cache: StatCache,
  rel: string,
  info: Stats,
  hashed: HashedFile,
  hashedAtMs: number,
): void {
  if (hashed.size === info.size) cache.record(rel, info, hashed.digest, hashedAtMs);
}

/** Cache keys are repo-relative POSIX paths without `./` or a trailing slash. */
export function normalizeRelPath(relPath: string): string {
  const normalized = posix.normalize(relPath);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

async function statOrUndefined(abs: string): Promise<Stats | undefined> {
  try {
    return await stat(abs);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw toSourceError(abs, error);
  }
}
