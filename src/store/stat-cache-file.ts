import { Buffer } from 'node:buffer';
import { isDigest, type Digest } from '../core/digest.js';

/**
 * The stat cache on disk: binary, so that loading 10,000 files is one read and a walk over
 * their names, not a JSON parse that builds (and makes the GC copy) an array, three boxed
 * doubles and two strings per file. A loaded file's times and digest stay in the file's bytes
 * and are read in place (a `StoredFile` is then a byte offset); only names become strings.
 *
 *   header  "weft stat cache\n" (16 bytes), u32 version, u32 directory count
 *   dir     u32 length + UTF-8 path ('' is the root), u8 has memo,
 *           [memo: 32-byte digest, f64 size, f64 file count], u32 file count,
 *           u32 length + the file names in UTF-8, each ended by a NUL (no name contains one),
 *           then one 72-byte record per file, in the same order
 *   record  f64 size, mtimeMs, ctimeMs, ino, hashedAtMs; 32-byte sha256
 *
 * Numbers are little-endian.
 */

/**
 * What a file looked like when it was hashed. Times are fractional milliseconds: a double
 * keeps today's timestamps to well under a microsecond, far finer than the racy window, and
 * plain numbers stat, store and compare several times faster than bigints.
 */
export interface StatCacheEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  digest: Digest;
  hashedAtMs: number;
}

/** A file as loaded (its offset in the loaded bytes) or as recorded since. */
export type StoredFile = StatCacheEntry | number;

/** A hashed directory's digest, its size and how many files it had. */
export interface DirMemo {
  digest: Digest;
  size: number;
  files: number;
}

export interface StoredDir {
  files: Map<string, StoredFile>;
  memo?: DirMemo;
}

const MAGIC = 'weft stat cache\n';
const FORMAT_VERSION = 4;
const DIGEST_BYTES = 32;
/** Where the digest sits in a file record, after five doubles. */
const DIGEST_AT = 40;
const RECORD_BYTES = DIGEST_AT + DIGEST_BYTES;
const MEMO_BYTES = DIGEST_BYTES + 16;
const NAME_END = '\0';

/** Field offsets in a file record, for readNumber. */
export const FIELD = { size: 0, mtimeMs: 8, ctimeMs: 16, ino: 24, hashedAtMs: 32 } as const;

/** Parses a saved cache; throws on anything that is not one (the caller starts empty). */
export function decodeStatCache(bytes: Buffer): Map<string, StoredDir> {
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a stat cache');
  if (bytes.readUInt32LE(16) !== FORMAT_VERSION) throw new Error('another format version');
  const dirs = new Map<string, StoredDir>();
  let at = 24;
  for (let dirCount = bytes.readUInt32LE(20); dirCount > 0; dirCount--) {
    const [path, afterPath] = readString(bytes, at);
    const dir: StoredDir = { files: new Map() };
    at = afterPath + 1;
    if (bytes[afterPath] === 1) {
      dir.memo = {
        digest: readDigest(bytes, at),
        size: bytes.readDoubleLE(at + DIGEST_BYTES),
        files: bytes.readDoubleLE(at + DIGEST_BYTES + 8),
      };
      at += MEMO_BYTES;
    }
    const fileCount = bytes.readUInt32LE(at);
    const [names, recordsAt] = readString(bytes, at + 4);
    // One decode and split per directory: a call per name costs several times as much.
    const split = names.split(NAME_END);
    if (split.length !== fileCount + 1) throw new RangeError('stat cache names and files differ');
    at = recordsAt + fileCount * RECORD_BYTES;
    if (at > bytes.length) throw new RangeError('stat cache ends inside a file record');
    for (let file = 0; file < fileCount; file++) {
      dir.files.set(split[file] as string, recordsAt + file * RECORD_BYTES);
    }
    dirs.set(path, dir);
  }
  return dirs;
}

/** The bytes of a cache; files still at an offset are copied from `loaded`, the bytes read. */
export function encodeStatCache(dirs: ReadonlyMap<string, StoredDir>, loaded: Buffer): Buffer {
  let length = 24;
  const namesOf = new Map<StoredDir, string>();
  for (const [path, dir] of dirs) {
    const names = [...dir.files.keys()].map((name) => name + NAME_END).join('');
    namesOf.set(dir, names);
    length += 4 + Buffer.byteLength(path) + 1 + (dir.memo ? MEMO_BYTES : 0) + 4;
    length += 4 + Buffer.byteLength(names) + dir.files.size * RECORD_BYTES;
  }
  const out = Buffer.alloc(length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 16);
  out.writeUInt32LE(dirs.size, 20);
  let at = 24;
  for (const [path, dir] of dirs) {
    at = writeString(out, at, path);
    out[at] = dir.memo ? 1 : 0;
    at += 1;
    if (dir.memo) {
      writeDigest(out, at, dir.memo.digest);
      out.writeDoubleLE(dir.memo.size, at + DIGEST_BYTES);
      out.writeDoubleLE(dir.memo.files, at + DIGEST_BYTES + 8);
      at += MEMO_BYTES;
    }
    at = out.writeUInt32LE(dir.files.size, at);
    at = writeString(out, at, namesOf.get(dir) ?? '');
    for (const file of dir.files.values()) {
      if (typeof file === 'number') loaded.copy(out, at, file, file + RECORD_BYTES);
      else writeRecord(out, at, file);
      at += RECORD_BYTES;
    }
  }
  return out;
}

/** A number of a loaded file record, e.g. readNumber(bytes, offset, FIELD.size). */
export function readNumber(bytes: Buffer, file: number, field: number): number {
  return bytes.readDoubleLE(file + field);
}

export function readFileDigest(bytes: Buffer, file: number): Digest {
  return readDigest(bytes, file + DIGEST_AT);
}

function readDigest(bytes: Buffer, at: number): Digest {
  if (at + DIGEST_BYTES > bytes.length) throw new RangeError('stat cache ends inside a digest');
  return `sha256:${bytes.toString('hex', at, at + DIGEST_BYTES)}`;
}

/** A length-prefixed UTF-8 string at `at`, and where the bytes after it start. */
function readString(bytes: Buffer, at: number): [string, number] {
  const start = at + 4;
  const end = start + bytes.readUInt32LE(at);
  if (end > bytes.length) throw new RangeError('stat cache ends inside a string');
  return [bytes.toString('utf8', start, end), end];
}

function writeRecord(out: Buffer, at: number, row: StatCacheEntry): void {
  out.writeDoubleLE(row.size, at + FIELD.size);
  out.writeDoubleLE(row.mtimeMs, at + FIELD.mtimeMs);
  out.writeDoubleLE(row.ctimeMs, at + FIELD.ctimeMs);
  out.writeDoubleLE(row.ino, at + FIELD.ino);
  out.writeDoubleLE(row.hashedAtMs, at + FIELD.hashedAtMs);
  writeDigest(out, at + DIGEST_AT, row.digest);
}

function writeDigest(out: Buffer, at: number, digest: Digest): void {
  if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${String(digest)}`);
  out.write(digest.slice('sha256:'.length), at, DIGEST_BYTES, 'hex');
}

/** Writes `text` length-prefixed at `at`; returns where the bytes after it start. */
function writeString(out: Buffer, at: number, text: string): number {
  const length = out.write(text, at + 4, 'utf8');
  out.writeUInt32LE(length, at);
  return at + 4 + length;
}

/** `a/b/c` -> [`a/b`, `c`]; a file at the root is in directory ``. */
export function splitRelPath(path: string): [dir: string, name: string] {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
}

/** The inverse of splitRelPath; `.` is the root too. */
export function joinRelPath(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : `${dir}/${name}`;
}
