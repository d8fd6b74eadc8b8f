import { digestBytes, isDigest } from '../core/digest.js';
import type { ManifestEntry, PathDigest } from './types.js';

/**
 * A directory's identity is the canonical JSON of its files sorted by POSIX path (plain code
 * unit order, the same on every machine and locale). putDir and hashPath both go through
 * here, so a stored directory and a workspace directory hash alike byte for byte.
 */
export function compareManifestPaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Equal to canonicalJson(sorted entries) (a test holds it to that), built with JSON.stringify:
 * keys are written in RFC 8785 order (digest < path < size), and JSON.stringify already
 * spells strings and integers the canonical way. It is ~10x faster on 10,000-file trees.
 */
export function serializeManifest(entries: readonly ManifestEntry[]): string {
  const sorted = entries
    .map(({ path, digest, size }) => ({ digest, path, size }))
    .sort((a, b) => compareManifestPaths(a.path, b.path));
  return JSON.stringify(sorted);
}

export function digestManifest(entries: readonly ManifestEntry[]): PathDigest {
  const size = entries.reduce((sum, entry) => sum + entry.size, 0);
  return { digest: digestBytes(serializeManifest(entries)), size, kind: 'dir' };
}

/** Canonical JSON sorts keys, so every manifest starts one of these two ways. */
const MANIFEST_OPENINGS = ['[]', '[{"digest":"sha256:'];
export const MANIFEST_PROBE_BYTES = Math.max(...MANIFEST_OPENINGS.map((text) => text.length));

export function looksLikeManifest(head: string): boolean {
  return MANIFEST_OPENINGS.some((opening) => head.startsWith(opening));
}

/** Parses manifest JSON; returns undefined when it is not one (wrong shape or unsafe paths). */
export function parseManifest(text: string): ManifestEntry[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const entries: ManifestEntry[] = [];
  for (const item of value) {
    if (!isManifestEntry(item)) return undefined;
    entries.push({ path: item.path, digest: item.digest, size: item.size });
  }
  return entries;
}

function isManifestEntry(item: unknown): item is ManifestEntry {
  if (typeof item !== 'object' || item === null) return false;
  const { path, digest, size } = item as Record<string, unknown>;
  return (
    typeof path === 'string' &&
    isSafeRelativePath(path) &&
    isDigest(digest) &&
    typeof size === 'number' &&
    Number.isSafeInteger(size) &&
    size >= 0
  );
}

/** Restores write manifest paths under a directory, so none may climb out of it. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
