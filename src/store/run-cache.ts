import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, isDigest, type Digest } from '../core/digest.js';
import { describeError, WeftError } from '../core/errors.js';
import { digestFromParts, makeTempName, runCachePathOf, type StoreLayout } from './layout.js';
import { publishDurably } from './ingest.js';
import { errnoOf, removeQuietly, toStoreIoError } from './store-io.js';
import type { RunCacheEntry } from './types.js';

export type WarningSink = (message: string) => void;

const ENTRY_MODE = 0o644;

/**
 * Reads the run-cache entry for `key`. A missing entry is a miss; an unreadable or malformed
 * one is warned about, removed and also treated as a miss, never as an error that stops a run.
 */
export async function readRunCacheEntry(
  layout: StoreLayout,
  key: Digest,
  onWarning?: WarningSink,
): Promise<RunCacheEntry | undefined> {
  const path = runCachePathOf(layout, key);
  let text: string;
  try {
    // Synchronous: entries are small, and planning reads one per stage, where the promise
    // API's open, stat, read and close round trips cost ten times as much (measured).
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw toStoreIoError(layout.root, error, 'read');
  }
  const entry = parseRunCacheEntry(text, key);
  if (typeof entry === 'string') {
    await rm(path, { force: true }).catch(() => undefined);
    onWarning?.(`run-cache entry ${key} is corrupt (${entry}); it was removed, treating as a miss`);
    return undefined;
  }
  return entry;
}

/**
 * Entries are written whole (temp file, rename), so readers see all or nothing; fsynced first
 * unless `durability` is 'cache' (a pipeline run, which syncs its objects once at its end): an
 * entry torn by a machine crash fails to parse and is dropped as a miss.
 */
export async function writeRunCacheEntry(
  layout: StoreLayout,
  entry: RunCacheEntry,
  durability: 'now' | 'cache' = 'now',
): Promise<void> {
  const problem = describeEntryProblem(entry, entry.key);
  if (problem !== undefined) {
    throw new WeftError('USAGE', `failed to write run-cache entry ${entry.key}: ${problem}`);
  }
  const dest = runCachePathOf(layout, entry.key);
  const tmp = join(layout.tmpDir, makeTempName('run-'));
  try {
    const bytes = Buffer.from(canonicalJson(entry), 'utf8');
    await publishDurably(tmp, dest, bytes, ENTRY_MODE, durability);
  } catch (error) {
    await removeQuietly(tmp);
    throw toStoreIoError(layout.root, error);
  }
}

export async function* listRunCacheEntries(
  layout: StoreLayout,
  onWarning?: WarningSink,
): AsyncGenerator<RunCacheEntry> {
  for (const prefix of await readdirOrEmpty(layout.runsDir)) {
    for (const name of await readdirOrEmpty(join(layout.runsDir, prefix))) {
      const key = digestFromParts(prefix, name, '.json');
      if (key === undefined) continue;
      const entry = await readRunCacheEntry(layout, key, onWarning);
      if (entry !== undefined) yield entry;
    }
  }
}

export async function removeRunCacheEntry(layout: StoreLayout, key: Digest): Promise<void> {
  await rm(runCachePathOf(layout, key), { force: true }).catch((error: unknown) => {
    throw toStoreIoError(layout.root, error);
  });
}

/** Sorted names in `dir`; none when it is missing or not a directory (a stray file). */
export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return [];
    throw error;
  }
}

/** The entry, or a short reason it cannot be trusted. */
function parseRunCacheEntry(text: string, key: Digest): RunCacheEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${describeError(error)}`;
  }
  const problem = describeEntryProblem(value, key);
  if (problem !== undefined) return problem;
  const entry = value as RunCacheEntry;
  return {
    key: entry.key,
    stage: entry.stage,
    outs: entry.outs.map(({ path, digest, size, kind }) => ({ path, digest, size, kind })),
    logDigest: entry.logDigest,
    createdAt: entry.createdAt,
  };
}

function describeEntryProblem(value: unknown, key: Digest): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const entry = value as Record<string, unknown>;
  if (entry.key !== key) return `key is ${String(entry.key)}, expected ${key}`;
  if (typeof entry.stage !== 'string') return 'stage is not a string';
  if (typeof entry.createdAt !== 'string') return 'createdAt is not a string';
  if (entry.logDigest !== null && !isDigest(entry.logDigest)) return 'logDigest is not a digest';
  if (!Array.isArray(entry.outs)) return 'outs is not a list';
  const badOut = (entry.outs as unknown[]).findIndex((out) => !isRunCacheOut(out));
  return badOut === -1 ? undefined : `outs[${badOut}] is not {path, digest, size, kind}`;
}

function isRunCacheOut(out: unknown): boolean {
  if (typeof out !== 'object' || out === null) return false;
  const { path, digest, size, kind } = out as Record<string, unknown>;
  return (
    typeof path === 'string' &&
    isDigest(digest) &&
    typeof size === 'number' &&
    Number.isSafeInteger(size) &&
    size >= 0 &&
    (kind === 'file' || kind === 'dir')
  );
}
