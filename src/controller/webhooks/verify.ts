import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Verification, WebhookHeaders, WebhookProvider } from './types.js';

/**
 * Signature checks, one per host. Each is pure, compares in constant time over the raw body
 * bytes, and answers a malformed or missing header with a failure rather than an exception.
 */
export type Verifier = (headers: WebhookHeaders, rawBody: Buffer, secret: string) => Verification;

const VERIFIED: Verification = { ok: true };
const SHA256_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export function verifyGithub(
  headers: WebhookHeaders,
  rawBody: Buffer,
  secret: string,
): Verification {
  return verifySha256Header(headers, 'X-Hub-Signature-256', rawBody, secret);
}

/** GitLab sends the secret itself as `X-Gitlab-Token`; the body is not signed. */
export function verifyGitlab(
  headers: WebhookHeaders,
  _rawBody: Buffer,
  secret: string,
): Verification {
  const token = readHeader(headers, 'X-Gitlab-Token');
  if (token === undefined) return failure('missing X-Gitlab-Token header');
  return isSameText(token, secret) ? VERIFIED : failure('X-Gitlab-Token does not match');
}

/** Bitbucket Cloud and Server/Data Center: `X-Hub-Signature: sha256=<hex>` over the body. */
export function verifyBitbucket(
  headers: WebhookHeaders,
  rawBody: Buffer,
  secret: string,
): Verification {
  return verifySha256Header(headers, 'X-Hub-Signature', rawBody, secret);
}

/** weft's own scheme for any other sender: `X-Weft-Signature: sha256=<hex>` over the body. */
export function verifyGeneric(
  headers: WebhookHeaders,
  rawBody: Buffer,
  secret: string,
): Verification {
  return verifySha256Header(headers, 'X-Weft-Signature', rawBody, secret);
}

export const VERIFIERS: Readonly<Record<WebhookProvider, Verifier>> = {
  github: verifyGithub,
  gitlab: verifyGitlab,
  bitbucket: verifyBitbucket,
  generic: verifyGeneric,
};

/** `sha256=<hex>` as the hosts write it; also what tests and senders of generic hooks use. */
export function signSha256(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * A header by name, case-insensitively. A repeated header is treated as absent: two signatures
 * are ambiguous, and picking one would let a forged copy ride along with a genuine one.
 */
export function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

function verifySha256Header(
  headers: WebhookHeaders,
  header: string,
  rawBody: Buffer,
  secret: string,
): Verification {
  const value = readHeader(headers, header);
  if (value === undefined) return failure(`missing ${header} header`);
  const hex = SHA256_SIGNATURE.exec(value.trim())?.[1];
  if (hex === undefined) return failure(`${header} must read sha256=<64 hex digits>`);
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // The pattern fixes the length at 32 bytes, as timingSafeEqual requires.
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected)
    ? VERIFIED
    : failure(`${header} does not match the body`);
}

/** Hashing first gives equal lengths, so the comparison leaks neither content nor length. */
function isSameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function failure(reason: string): Verification {
  return { ok: false, reason };
}
