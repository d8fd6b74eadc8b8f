import type { Digest } from '../core/digest.js';

export type EntryKind = 'file' | 'dir';

/** What a workspace path hashes to. A directory's digest is that of its manifest object. */
export interface PathDigest {
  digest: Digest;
  size: number;
  kind: EntryKind;
}

/** One file of a directory manifest; `path` is relative to the directory, POSIX, sorted. */
export interface ManifestEntry {
  path: string;
  digest: Digest;
  size: number;
}

/**
 * The run cache: a stage cache key -> the outputs it produced. Entries are immutable JSON
 * objects, so two machines that share a store share their cache.
 */
export interface RunCacheEntry {
  key: Digest;
  stage: string;
  outs: Array<{ path: string } & PathDigest>;
  /** The stage's log, kept for `weft show` of restored stages. */
  logDigest: Digest | null;
  createdAt: string;
}

export interface StoredObject {
  digest: Digest;
  size: number;
}
