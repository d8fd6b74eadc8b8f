import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import canonicalize from 'canonicalize';

/** A content address: `sha256:<64 lowercase hex>`. */
export type Digest = `sha256:${string}`;

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_PATTERN.test(value);
}

export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

export function digestBytes(data: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Streams the file so large data never sits in memory whole. */
export async function digestFile(path: string): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    hash.update(bytes);
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/**
 * RFC 8785 canonical JSON: sorted keys, no whitespace, one spelling per number, so that equal
 * values always hash equal wherever they were produced.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

export function digestJson(value: unknown): Digest {
  return digestBytes(canonicalJson(value));
}
