import type { Stats } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isDigest, type Digest } from '../core/digest.js';
import { describeError, WeftError } from '../core/errors.js';

/**
 * What a file looked like when it was hashed. Times are fractional milliseconds: a double
 * keeps today's timestamps to well under a microsecond, far finer than the racy window, and
 * plain numbers stat, parse and compare several times faster than bigints.
 */
export interface StatCacheEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  digest: Digest;
  hashedAtMs: number;
}

/**
 * A write landing in the same timestamp tick as our read leaves the times unchanged, so an
 * entry whose mtime (or ctime: an edit followed by `touch -d` to restore mtime) is this close
 * to, or after, the moment it was hashed proves nothing. It is "racily clean" (git's term) and
 * gets hashed again. 100 ms covers coarse filesystem clocks.
 */
export const RACY_WINDOW_MS = 100;

export function isRacilyClean(entry: StatCacheEntry): boolean {
  return Math.max(entry.mtimeMs, entry.ctimeMs) > entry.hashedAtMs - RACY_WINDOW_MS;
}

export interface StatCacheOptions {
  /** The wall clock in ms; tests inject one to decide what counts as racily clean. */
  now?: () => number;
}

const FORMAT_VERSION = 3;

/**
 * Repo-relative path -> (size, mtime, ctime, inode) -> digest, so unchanged files are not read
 * again. ctime and inode catch edits that restore mtime, and replacements by rename.
 */
export class StatCache {
  /** How often a file was hashed versus answered from the cache; for tests and `--verbose`. */
  readonly stats = { hashed: 0, reused: 0 };
  readonly now: () => number;
  private entries = new Map<string, StatCacheEntry>();
  private dirty = false;
  /** Directories hashed in this process -> the files they hold now (see forgetUnder). */
  private listedDirs = new Map<string, ReadonlySet<string>>();

  /** An empty cache that will be saved at `path`. */
  constructor(
    readonly path: string,
    options: StatCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Loads the cache at `path`; a missing or unreadable file just means an empty cache. */
  static async load(path: string, options: StatCacheOptions = {}): Promise<StatCache> {
    const cache = new StatCache(path, options);
    try {
      cache.entries = parseEntries(await readFile(path, 'utf8'));
    } catch {
      // Missing or damaged: start empty, the next save rewrites it.
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached digest if `info` still describes the file as it was hashed, else undefined. */
  lookup(relPath: string, info: Stats): Digest | undefined {
    const entry = this.entries.get(relPath);
    if (entry === undefined || !matchesStat(entry, info) || isRacilyClean(entry)) return undefined;
    this.stats.reused += 1;
    return entry.digest;
  }

  /** Remembers a fresh hash; `hashedAtMs` must be taken before the file was read. */
  record(relPath: string, info: Stats, digest: Digest, hashedAtMs: number): void {
    this.stats.hashed += 1;
    const entry: StatCacheEntry = {
      size: info.size,
      mtimeMs: info.mtimeMs,
      ctimeMs: info.ctimeMs,
      ino: info.ino,
      digest,
      hashedAtMs,
    };
    const previous = this.entries.get(relPath);
    if (previous !== undefined && isSameEntry(previous, entry)) return;
    this.entries.set(relPath, entry);
    this.dirty = true;
  }

  forget(relPath: string): void {
    if (this.entries.delete(relPath)) this.dirty = true;
  }

  /**
   * Drops entries under directory `dirRel` that are not in `keep` (files since deleted). The
   * sweep is deferred to save(): one pass over all entries, not one per directory.
   */
  forgetUnder(dirRel: string, keep: ReadonlySet<string>): void {
    this.listedDirs.set(dirRel === '.' ? '' : dirRel, keep);
  }

  private sweepListedDirs(): void {
    if (this.listedDirs.size === 0) return;
    for (const key of [...this.entries.keys()]) {
      for (let dir = parentOf(key); dir !== undefined; dir = parentOf(dir)) {
        const keep = this.listedDirs.get(dir);
        if (keep && !keep.has(key)) {
          this.forget(key);
          break;
        }
      }
    }
    this.listedDirs.clear();
  }

  /** Writes the cache atomically if anything changed; returns whether it wrote. */
  async save(): Promise<boolean> {
    this.sweepListedDirs();
    if (!this.dirty) return false;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, serializeEntries(this.entries));
    } catch (error) {
      throw new WeftError(
        'STORE_IO',
        `failed to write stat cache ${this.path}: ${describeError(error)}`,
        { cause: error },
      );
    }
    this.dirty = false;
    return true;
  }
}

/** `a/b/c` -> `a/b` -> `a` -> `` (the root) -> undefined. */
function parentOf(path: string): string | undefined {
  if (path === '') return undefined;
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function matchesStat(entry: StatCacheEntry, info: Stats): boolean {
  return (
    entry.size === info.size &&
    entry.mtimeMs === info.mtimeMs &&
    entry.ctimeMs === info.ctimeMs &&
    entry.ino === info.ino
  );
}

function isSameEntry(a: StatCacheEntry, b: StatCacheEntry): boolean {
  return (
    a.digest === b.digest &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino &&
    a.hashedAtMs === b.hashedAtMs
  );
}

/** One entry per array, not per object: the warm path parses 10,000 of these per command. */
type SerializedEntry = [
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  digest: string,
  hashedAtMs: number,
];

function serializeEntries(entries: ReadonlyMap<string, StatCacheEntry>): string {
  const out: SerializedEntry[] = [];
  for (const [path, e] of entries) {
    out.push([path, e.size, e.mtimeMs, e.ctimeMs, e.ino, e.digest, e.hashedAtMs]);
  }
  return JSON.stringify({ version: FORMAT_VERSION, entries: out });
}

/** Keeps every well-formed entry; a damaged one is dropped (that file is just hashed again). */
function parseEntries(text: string): Map<string, StatCacheEntry> {
  const parsed = JSON.parse(text) as { version?: unknown; entries?: unknown };
  const entries = new Map<string, StatCacheEntry>();
  if (parsed.version !== FORMAT_VERSION || !Array.isArray(parsed.entries)) return entries;
  for (const raw of parsed.entries as unknown[]) {
    if (!Array.isArray(raw) || raw.length !== 7) continue;
    const [path, size, mtimeMs, ctimeMs, ino, digest, hashedAtMs] = raw as unknown[];
    const numbers = [size, mtimeMs, ctimeMs, ino, hashedAtMs];
    if (typeof path !== 'string' || !isDigest(digest) || !numbers.every(isNumber)) continue;
    entries.set(path, { size, mtimeMs, ctimeMs, ino, digest, hashedAtMs } as StatCacheEntry);
  }
  return entries;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}
