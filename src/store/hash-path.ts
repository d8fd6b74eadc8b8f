import type { Stats } from 'node:fs';
import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { mapConcurrent } from './concurrency.js';
import { hashFile, type HashedFile } from './hash-file.js';
import {
  hashFilesOnPool,
  isHashPoolStarted,
  POOL_MIN_BYTES,
  type PoolHashedFile,
} from './hash-pool.js';
import { digestManifest } from './manifest.js';
import { joinRelPath, splitRelPath } from './stat-cache-file.js';
import type { FileStat, StatCache } from './stat-cache.js';
import { toSourceError } from './store-io.js';
import type { ManifestEntry, PathDigest } from './types.js';
import { listDirFiles, type DirFile } from './walk.js';

/** Enough reads in flight to keep the disk busy while the main thread hashes. */
const HASH_CONCURRENCY = 8;
/** Synchronous stats between event-loop turns: see findChangedFiles. */
const STAT_BATCH = 1000;
/**
 * From this many files, a directory the cache knows nothing of is stat'ed by the hash threads
 * (when they are running already: starting them for a handful of files costs more than it saves).
 */
const UNKNOWN_DIR_MIN_FILES = 64;

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
  const info = statOrUndefined(abs);
  if (info === undefined) {
    cache.forget(rel);
    return undefined;
  }
  if (info.isDirectory()) return hashDir(abs, rel, cache);
  if (info.isFile()) return { ...(await hashFileCached(abs, rel, info, cache)), kind: 'file' };
  throw new WeftError('STORE_IO', `failed to hash ${abs}: not a file or directory`);
}

async function hashDir(abs: string, rel: string, cache: StatCache): Promise<PathDigest> {
  const files = await listDirFiles(abs);
  if (files.length >= UNKNOWN_DIR_MIN_FILES && isHashPoolStarted()) {
    if (!cache.knowsAnythingUnder(rel)) return hashUnknownDir(files, rel, cache);
  }
  const { sizes, misses } = await findChangedFiles(files, rel, cache);
  // Every file unchanged since the directory was hashed: so is its manifest.
  const unchanged = misses.length === 0 ? cache.lookupDir(rel, files.length) : undefined;
  if (unchanged) return unchanged;
  const entries = readUnchangedEntries(files, rel, sizes, misses, cache);
  const missBytes = misses.reduce((sum, miss) => sum + miss.info.size, 0);
  const recorded =
    missBytes >= POOL_MIN_BYTES
      ? await hashMissesOnPool(files, misses, entries, cache)
      : await hashMissesHere(files, misses, entries, cache);
  cache.forgetUnder(rel, new Set(files.map((file) => joinRelPath(rel, file.rel))));
  const hashed = digestManifest(entries);
  // A file that changed while it was hashed has no row, and the memo must not vouch for it.
  if (recorded) cache.recordDir(rel, hashed, files.length);
  return hashed;
}

/**
 * A directory the cache knows nothing of (a fresh clone, a new dataset): every file will be
 * read, so the pool's threads stat each one as they open it and this thread stats none.
 */
async function hashUnknownDir(
  files: readonly DirFile[],
  rel: string,
  cache: StatCache,
): Promise<PathDigest> {
  const hashedAtMs = cache.now();
  const hashed = await hashFilesOnPool(files.map((file) => file.abs));
  // Every file is a miss, judged by the stat its thread took as it opened it.
  const misses = files.map((file, index) => ({
    index,
    key: joinRelPath(rel, file.rel),
    info: (hashed[index] as PoolHashedFile).stat,
  }));
  const entries = new Array<ManifestEntry>(files.length);
  const recorded = takePoolResults(files, misses, hashed, entries, cache, hashedAtMs);
  const digest = digestManifest(entries);
  if (recorded) cache.recordDir(rel, digest, files.length);
  return digest;
}

/** Hashes a few or small misses on this thread; returns whether every one went into the cache. */
async function hashMissesHere(
  files: readonly DirFile[],
  misses: readonly CacheMiss[],
  entries: ManifestEntry[],
  cache: StatCache,
): Promise<boolean> {
  let recorded = true;
  await mapConcurrent(misses, HASH_CONCURRENCY, async ({ index, key, info }) => {
    const file = files[index] as DirFile;
    const hashed = await hashAndRecord(file.abs, key, info, cache);
    recorded &&= isSettled(info, hashed);
    entries[index] = { path: file.rel, ...hashed };
  });
  return recorded;
}

/** A cold directory with lots of data: hashed in batches on every core. */
async function hashMissesOnPool(
  files: readonly DirFile[],
  misses: readonly CacheMiss[],
  entries: ManifestEntry[],
  cache: StatCache,
): Promise<boolean> {
  const hashedAtMs = cache.now();
  const paths = misses.map((miss) => (files[miss.index] as DirFile).abs);
  const hashed = await hashFilesOnPool(
    paths,
    misses.map((miss) => miss.info.size),
  );
  return takePoolResults(files, misses, hashed, entries, cache, hashedAtMs);
}

/**
 * Records what the pool hashed for `misses` (`hashed` in the same order) and fills their
 * manifest entries; returns whether every one went into the cache.
 */
function takePoolResults(
  files: readonly DirFile[],
  misses: readonly CacheMiss[],
  hashed: readonly HashedFile[],
  entries: ManifestEntry[],
  cache: StatCache,
  hashedAtMs: number,
): boolean {
  let recorded = true;
  misses.forEach((miss, i) => {
    const { digest, size } = hashed[i] as HashedFile;
    recordIfSettled(cache, miss.key, miss.info, { digest, size }, hashedAtMs);
    recorded &&= isSettled(miss.info, { digest, size });
    entries[miss.index] = { path: (files[miss.index] as DirFile).rel, digest, size };
  });
  return recorded;
}

interface CacheMiss {
  index: number;
  key: string;
  info: FileStat;
}

/**
 * The warm path: one stat per file and a comparison with the cache, nothing else. statSync
 * costs a few microseconds where a promise round trip through the libuv pool costs several
 * times that; a yield every STAT_BATCH files keeps the event loop responsive on huge trees.
 * Stats are dropped as soon as they match, so they die young instead of burdening the GC.
 */
async function findChangedFiles(files: readonly DirFile[], rel: string, cache: StatCache) {
  const sizes = new Array<number>(files.length);
  const misses: CacheMiss[] = [];
  for (let index = 0; index < files.length; index++) {
    if (index > 0 && index % STAT_BATCH === 0) await yieldToEventLoop();
    const file = files[index] as DirFile;
    const info = statFileSync(file.abs);
    sizes[index] = info.size;
    const [dir, name] = locateInCache(rel, file);
    if (!cache.isUnchanged(dir, name, info)) {
      misses.push({ index, key: joinRelPath(rel, file.rel), info });
    }
  }
  return { sizes, misses };
}

/** Manifest entries of the files found unchanged, with their cached digests; misses stay empty. */
function readUnchangedEntries(
  files: readonly DirFile[],
  rel: string,
  sizes: readonly number[],
  misses: readonly CacheMiss[],
  cache: StatCache,
): ManifestEntry[] {
  const missed = new Set(misses.map((miss) => miss.index));
  const entries = new Array<ManifestEntry>(files.length);
  files.forEach((file, index) => {
    const digest = missed.has(index) ? undefined : cache.digestOf(...locateInCache(rel, file));
    if (digest !== undefined) entries[index] = { path: file.rel, digest, size: sizes[index] ?? 0 };
  });
  return entries;
}

/** The cache's directory and name of a file listed under `rel` (most lie directly in it). */
function locateInCache(rel: string, file: DirFile): [dir: string, name: string] {
  if (!file.rel.includes('/')) return [rel === '.' ? '' : rel, file.rel];
  return splitRelPath(joinRelPath(rel, file.rel));
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
  info: FileStat,
  cache: StatCache,
): Promise<HashedFile> {
  const hashedAtMs = cache.now();
  const { digest, size } =
    info.size < POOL_MIN_BYTES
      ? await hashFile(abs, info.size)
      : ((await hashFilesOnPool([abs], [info.size]))[0] as HashedFile);
  recordIfSettled(cache, rel, info, { digest, size }, hashedAtMs);
  return { digest, size };
}

/** A size that moved under us means the file is being written: answer, but do not cache. */
function recordIfSettled(
  cache: StatCache,
  rel: string,
  info: FileStat,
  hashed: HashedFile,
  hashedAtMs: number,
): void {
  if (isSettled(info, hashed)) cache.record(rel, info, hashed.digest, hashedAtMs);
}

function isSettled(info: FileStat, hashed: HashedFile): boolean {
  return hashed.size === info.size;
}

/** Cache keys are repo-relative POSIX paths without `./` or a trailing slash. */
export function normalizeRelPath(relPath: string): string {
  const normalized = posix.normalize(relPath);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** A dep or out that is not there is an answer, not an error. Sync: see findChangedFiles. */
function statOrUndefined(abs: string): Stats | undefined {
  try {
    return statSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    throw toSourceError(abs, error);
  }
}
