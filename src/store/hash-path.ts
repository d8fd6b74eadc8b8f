import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { mapConcurrent } from './concurrency.js';
import { digestManifest } from './manifest.js';
import type { StatCache } from './stat-cache.js';
import { errnoOf, toSourceError } from './store-io.js';
import type { ManifestEntry, PathDigest } from './types.js';
import { listDirFiles } from './walk.js';

/** Enough reads in flight to keep the disk busy while the main thread hashes. */
const HASH_CONCURRENCY = 8;
/** Synchronous stats between event-loop turns: see statFiles. */
const STAT_BATCH = 1000;
const CHUNK_BYTES = 1 << 20;

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
  const keys = files.map((file) => (rel === '.' ? file.rel : `${rel}/${file.rel}`));
  const infos = await statFiles(files.map((file) => file.abs));
  const entries = new Array<ManifestEntry>(files.length);
  const misses: number[] = [];
  files.forEach((file, index) => {
    const info = infos[index] as BigIntStats;
    const digest = cache.lookup(keys[index] as string, info);
    if (digest === undefined) misses.push(index);
    else entries[index] = { path: file.rel, digest, size: Number(info.size) };
  });
  await mapConcurrent(misses, HASH_CONCURRENCY, async (index) => {
    const file = files[index] as { rel: string; abs: string };
    const hashed = await hashAndRecord(
      file.abs,
      keys[index] as string,
      infos[index] as BigIntStats,
      cache,
    );
    entries[index] = { path: file.rel, ...hashed };
  });
  cache.forgetUnder(rel, new Set(keys));
  return digestManifest(entries);
}

async function hashFileCached(
  abs: string,
  rel: string,
  info: BigIntStats,
  cache: StatCache,
): Promise<{ digest: Digest; size: number }> {
  const digest = cache.lookup(rel, info);
  if (digest !== undefined) return { digest, size: Number(info.size) };
  return hashAndRecord(abs, rel, info, cache);
}

async function hashAndRecord(
  abs: string,
  rel: string,
  info: BigIntStats,
  cache: StatCache,
): Promise<{ digest: Digest; size: number }> {
  const hashedAtMs = cache.now();
  const hashed = await hashFile(abs, Number(info.size));
  // A size that moved under us means the file is being written: answer, but do not cache.
  if (hashed.size === Number(info.size)) cache.record(rel, info, hashed.digest, hashedAtMs);
  return hashed;
}

/**
 * A warm check is nothing but stats, and statSync costs a few microseconds where a promise
 * round trip through the libuv pool costs several times that; batches with a yield between
 * them keep the event loop responsive on huge trees.
 */
async function statFiles(paths: readonly string[]): Promise<BigIntStats[]> {
  const infos: BigIntStats[] = [];
  for (const path of paths) {
    if (infos.length > 0 && infos.length % STAT_BATCH === 0) await yieldToEventLoop();
    try {
      infos.push(statSync(path, { bigint: true }));
    } catch (error) {
      throw toSourceError(path, error);
    }
  }
  return infos;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reusable read buffers: at most HASH_CONCURRENCY are ever out, so this stays small. */
const freeBuffers: Buffer[] = [];

/**
 * sha256 of a file, read in 1 MiB chunks into a pooled buffer (no per-file stream setup).
 * With `expectedSize` from a stat, a short read at that size is taken as end of file, which
 * saves the extra zero-byte read per file that dominates when hashing many small files.
 */
export async function hashFile(
  absPath: string,
  expectedSize = Number.POSITIVE_INFINITY,
): Promise<{ digest: Digest; size: number }> {
  const handle = await open(absPath, 'r').catch((error: unknown) => {
    throw toSourceError(absPath, error);
  });
  const buffer = freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      if (bytesRead < buffer.length && size >= expectedSize) break;
    }
  } catch (error) {
    throw toSourceError(absPath, error);
  } finally {
    freeBuffers.push(buffer);
    await handle.close();
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Cache keys are repo-relative POSIX paths without `./` or a trailing slash. */
export function normalizeRelPath(relPath: string): string {
  const normalized = posix.normalize(relPath);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

async function statOrUndefined(abs: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(abs, { bigint: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw toSourceError(abs, error);
  }
}
