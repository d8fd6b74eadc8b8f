import { createHash } from 'node:crypto';
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
