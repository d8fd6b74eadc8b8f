import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { digestHex, isDigest, type Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';

/**
 * Where things live under a store root. Temp files sit in `tmp/` on the same filesystem as
 * `objects/`, so committing one is a single atomic rename.
 */
export interface StoreLayout {
  readonly root: string;
  readonly objectsDir: string;
  readonly tmpDir: string;
  readonly runsDir: string;
}

export function describeLayout(root: string): StoreLayout {
  return {
    root,
    objectsDir: join(root, 'objects', 'sha256'),
    tmpDir: join(root, 'tmp'),
    runsDir: join(root, 'runs', 'sha256'),
  };
}

/** Digests become paths, so anything but `sha256:<64 hex>` is refused before touching disk. */
export function assertDigest(digest: string): asserts digest is Digest {
  if (!isDigest(digest)) {
    throw new WeftError('USAGE', `invalid digest "${digest}": expected sha256:<64 lowercase hex>`);
  }
}

export function objectPathOf(layout: StoreLayout, digest: Digest): string {
  assertDigest(digest);
  const hex = digestHex(digest);
  return join(layout.objectsDir, hex.slice(0, 2), hex.slice(2));
}

export function runCachePathOf(layout: StoreLayout, key: Digest): string {
  assertDigest(key);
  const hex = digestHex(key);
  return join(layout.runsDir, hex.slice(0, 2), `${hex.slice(2)}.json`);
}

/** The digest a `<2 hex>/<62 hex>[suffix]` pair names, or undefined for stray files. */
export function digestFromParts(prefix: string, name: string, suffix = ''): Digest | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const candidate = `sha256:${prefix}${name.slice(0, name.length - suffix.length)}`;
  return isDigest(candidate) ? candidate : undefined;
}

/** A name no other process or call will pick: pid plus 48 random bits. */
export function makeTempName(prefix = ''): string {
  return `${prefix}${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}
