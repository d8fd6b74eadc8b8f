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
  return isRacy(entry.mtimeMs, entry.ctimeMs, entry.hashedAtMs);
}

function isRacy(mtimeMs: number, ctimeMs: number, hashedAtMs: number): boolean {
  return Math.max(mtimeMs, ctimeMs) > hashedAtMs - RACY_WINDOW_MS;
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
  /** Rows as read from disk, validated when looked up: loading 10,000 stays a JSON.parse. */
  private entries = new Map<string, Row>();
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
    const row = this.entries.get(relPath);
    if (row === undefined || !matchesStat(row, info) || !isValidRow(row)) return undefined;
    if (isRacy(row[2], row[3], row[6])) return undefined;
    this.stats.reused += 1;
    return row[5];
  }

  /** Remembers a fresh hash; `hashedAtMs` must be taken before the file was read. */
  record(relPath: string, info: Stats, digest: Digest, hashedAtMs: number): void {
    this.stats.hashed += 1;
    const row: Row = [relPath, info.size, info.mtimeMs, info.ctimeMs, info.ino, digest, hashedAtMs];
    const previous = this.entries.get(relPath);
    if (previous !== undefined && previous.every((value, i) => value === row[i])) return;
    this.entries.set(relPath, row);
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

/** One array per file, path first, exactly as stored on disk. */
type Row = [
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  digest: Digest,
  hashedAtMs: number,
];

function matchesStat(row: Row, info: Stats): boolean {
  return (
    row[1] === info.size &&
    row[2] === info.mtimeMs &&
    row[3] === info.ctimeMs &&
    row[4] === info.ino
  );
}

/**
 * A damaged row is a miss: that file is just hashed again. Checked after matchesStat, whose
 * strict equality with the stat's numbers already vouches for fields 1 to 4.
 */
function isValidRow(row: Row): boolean {
  return row.length === 7 && typeof row[6] === 'number' && isDigest(row[5]);
}

function serializeEntries(entries: ReadonlyMap<string, Row>): string {
  return JSON.stringify({ version: FORMAT_VERSION, entries: [...entries.values()] });
}

function parseEntries(text: string): Map<string, Row> {
  const parsed = JSON.parse(text) as { version?: unknown; entries?: unknown };
  const entries = new Map<string, Row>();
  if (parsed.version !== FORMAT_VERSION || !Array.isArray(parsed.entries)) return entries;
  for (const raw of parsed.entries as unknown[]) {
    if (Array.isArray(raw) && typeof raw[0] === 'string') entries.set(raw[0], raw as Row);
  }
  return entries;
}
