import { Buffer } from 'node:buffer';
import { readFileSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Digest } from '../core/digest.js';
import { describeError, WeftError } from '../core/errors.js';
import {
  decodeStatCache,
  encodeStatCache,
  FIELD,
  readFileDigest,
  readNumber,
  joinRelPath,
  splitRelPath,
  type StatCacheEntry,
  type StoredDir,
  type StoredFile,
} from './stat-cache-file.js';
import type { PathDigest } from './types.js';

export type { StatCacheEntry } from './stat-cache-file.js';

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

/** What the cache compares: a `Stats`, or the same four numbers from another thread's fstat. */
export type FileStat = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

export interface StatCacheOptions {
  /** The wall clock in ms; tests inject one to decide what counts as racily clean. */
  now?: () => number;
}

/**
 * Repo-relative path -> (size, mtime, ctime, inode) -> digest, so unchanged files are not read
 * again. ctime and inode catch edits that restore mtime, and replacements by rename. Files are
 * grouped by directory, and a hashed directory remembers its digest until a file under it
 * changes (see lookupDir): a no-op run neither rebuilds nor re-hashes 10,000-file manifests.
 */
export class StatCache {
  /** How often a file was hashed versus answered from the cache; for tests and `--verbose`. */
  readonly stats = { hashed: 0, reused: 0 };
  readonly now: () => number;
  /** Directory ('' for the root) -> its files and memo. */
  private dirs = new Map<string, StoredDir>();
  /** The file the cache was loaded from: files not recorded since are read from it in place. */
  private loaded = Buffer.alloc(0);
  private dirty = false;

  /** An empty cache that will be saved at `path`. */
  constructor(
    readonly path: string,
    options: StatCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Loads the cache at `path`; a missing or unreadable file just means an empty cache. */
  static load(path: string, options: StatCacheOptions = {}): Promise<StatCache> {
    const cache = new StatCache(path, options);
    try {
      // One synchronous read: the promise API reads a big file in several round trips.
      const bytes = readFileSync(path);
      cache.dirs = decodeStatCache(bytes);
      cache.loaded = bytes;
    } catch {
      // Missing or damaged: start empty, the next save rewrites it.
    }
    return Promise.resolve(cache);
  }

  /** How many files the cache knows. */
  get size(): number {
    let files = 0;
    for (const dir of this.dirs.values()) files += dir.files.size;
    return files;
  }

  /** The cached digest if `info` still describes the file as it was hashed, else undefined. */
  lookup(relPath: string, info: FileStat): Digest | undefined {
    const [dir, name] = splitRelPath(relPath);
    return this.isUnchanged(dir, name, info) ? this.digestOf(dir, name) : undefined;
  }

  /**
   * Whether file `name` of directory `dir` is as it was hashed: same stat, and not racily
   * clean. The warm path asks this of every file and needs no digest (see lookupDir).
   */
  isUnchanged(dir: string, name: string, info: FileStat): boolean {
    const file = this.dirs.get(dir)?.files.get(name);
    if (file === undefined || !this.matches(file, info)) return false;
    this.stats.reused += 1;
    return true;
  }

  /** Whether anything at all is recorded in directory `dir` or below it. */
  knowsAnythingUnder(dir: string): boolean {
    const at = dir === '.' ? '' : dir;
    for (const path of this.dirs.keys()) if (isWithin(path, at)) return true;
    return false;
  }

  /** The digest recorded for file `name` of directory `dir`; trust it only if isUnchanged. */
  digestOf(dir: string, name: string): Digest | undefined {
    const file = this.dirs.get(dir)?.files.get(name);
    if (file === undefined) return undefined;
    return typeof file === 'number' ? readFileDigest(this.loaded, file) : file.digest;
  }

  /** Remembers a fresh hash; `hashedAtMs` must be taken before the file was read. */
  record(relPath: string, info: FileStat, digest: Digest, hashedAtMs: number): void {
    this.stats.hashed += 1;
    const [dir, name] = splitRelPath(relPath);
    const row: StatCacheEntry = {
      size: info.size,
      mtimeMs: info.mtimeMs,
      ctimeMs: info.ctimeMs,
      ino: info.ino,
      hashedAtMs,
      digest,
    };
    const files = this.dirOf(dir).files;
    const previous = files.get(name);
    if (previous !== undefined && this.isSameRow(previous, row)) return;
    files.set(name, row);
    this.changedUnder(dir);
  }

  /** Forgets whatever was at `relPath`, a file or a whole directory: it is gone. */
  forget(relPath: string): void {
    const [dir, name] = splitRelPath(relPath);
    let removed = this.dirs.get(dir)?.files.delete(name) === true;
    for (const key of this.dirs.keys()) {
      if (isWithin(key, relPath)) removed = this.dirs.delete(key) || removed;
    }
    if (removed) this.changedUnder(dir);
  }

  /** Drops the files under directory `dirRel` whose path is not in `keep` (deleted). */
  forgetUnder(dirRel: string, keep: ReadonlySet<string>): void {
    const root = dirRel === '.' ? '' : dirRel;
    for (const [path, dir] of this.dirs) {
      if (!isWithin(path, root)) continue;
      let removed = false;
      for (const name of dir.files.keys()) {
        if (!keep.has(joinRelPath(path, name))) removed = dir.files.delete(name) || removed;
      }
      if (removed) this.changedUnder(path);
    }
  }

  /**
   * The digest directory `dirRel` had when it was last hashed, if that is still its digest:
   * the caller found all `files` files in it unchanged (isUnchanged). No file under it
   * has changed since (any change drops the memo), so those are exactly its files then.
   */
  lookupDir(dirRel: string, files: number): PathDigest | undefined {
    const memo = this.dirs.get(dirRel === '.' ? '' : dirRel)?.memo;
    if (memo === undefined || memo.files !== files) return undefined;
    return { digest: memo.digest, size: memo.size, kind: 'dir' };
  }

  /**
   * Remembers a directory's digest. Only for a directory whose files all have rows as hashed
   * for this digest, and no others (see forgetUnder), or lookupDir would vouch for too much.
   */
  recordDir(dirRel: string, hashed: PathDigest, files: number): void {
    const dir = this.dirOf(dirRel === '.' ? '' : dirRel);
    if (dir.memo?.digest === hashed.digest && dir.memo.files === files) return;
    dir.memo = { digest: hashed.digest, size: hashed.size, files };
    this.dirty = true;
  }

  /** Writes the cache atomically if anything changed; returns whether it wrote. */
  async save(): Promise<boolean> {
    if (!this.dirty) return false;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, encodeStatCache(this.dirs, this.loaded));
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

  private matches(file: StoredFile, info: FileStat): boolean {
    if (typeof file !== 'number') return matchesStat(file, info) && !isRacilyClean(file);
    const bytes = this.loaded;
    return (
      readNumber(bytes, file, FIELD.size) === info.size &&
      readNumber(bytes, file, FIELD.mtimeMs) === info.mtimeMs &&
      readNumber(bytes, file, FIELD.ctimeMs) === info.ctimeMs &&
      readNumber(bytes, file, FIELD.ino) === info.ino &&
      !isRacy(info.mtimeMs, info.ctimeMs, readNumber(bytes, file, FIELD.hashedAtMs))
    );
  }

  private isSameRow(file: StoredFile, row: StatCacheEntry): boolean {
    const stored = typeof file === 'number' ? this.readRow(file) : file;
    return (Object.keys(row) as Array<keyof StatCacheEntry>).every(
      (key) => stored[key] === row[key],
    );
  }

  private readRow(file: number): StatCacheEntry {
    const bytes = this.loaded;
    return {
      size: readNumber(bytes, file, FIELD.size),
      mtimeMs: readNumber(bytes, file, FIELD.mtimeMs),
      ctimeMs: readNumber(bytes, file, FIELD.ctimeMs),
      ino: readNumber(bytes, file, FIELD.ino),
      hashedAtMs: readNumber(bytes, file, FIELD.hashedAtMs),
      digest: readFileDigest(bytes, file),
    };
  }

  private dirOf(path: string): StoredDir {
    let dir = this.dirs.get(path);
    if (dir === undefined) {
      dir = { files: new Map() };
      this.dirs.set(path, dir);
    }
    return dir;
  }

  /** A file in `path` changed: the digests remembered for it and every directory above are stale. */
  private changedUnder(path: string): void {
    this.dirty = true;
    for (let at: string | undefined = path; at !== undefined; at = parentOf(at)) {
      const dir = this.dirs.get(at);
      if (dir === undefined) continue;
      dir.memo = undefined;
      if (dir.files.size === 0) this.dirs.delete(at);
    }
  }
}

/** `a/b/c` -> `a/b` -> `a` -> `` (the root) -> undefined. */
function parentOf(path: string): string | undefined {
  return path === '' ? undefined : splitRelPath(path)[0];
}

/** `path` is `dir` or lies inside it. Asked of every directory in the cache: no allocation. */
function isWithin(path: string, dir: string): boolean {
  if (dir === '' || path === dir) return true;
  return path.length > dir.length && path.charCodeAt(dir.length) === SLASH && path.startsWith(dir);
}

const SLASH = 0x2f;

function matchesStat(row: StatCacheEntry, info: FileStat): boolean {
  return (
    row.size === info.size &&
    row.mtimeMs === info.mtimeMs &&
    row.ctimeMs === info.ctimeMs &&
    row.ino === info.ino
  );
}
