/**
 * Standard Webhooks 1.0 symmetric signatures (github.com/standard-webhooks/standard-webhooks,
 * spec/standard-webhooks.md): HMAC-SHA256 with a `whsec_<base64>` secret over
 * `${webhook-id}.${webhook-timestamp}.${body}`, sent as `webhook-signature: v1,<base64>` (a
 * space-separated list, so a rotated secret can sign alongside the new one).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WeftError } from '../../core/errors.js';

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const HMAC_SHA256_BYTES = 32;

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** Node's IncomingHttpHeaders, or a fetch `Headers`. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>>;

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | {
      ok: false;
      reason:
        | 'missing-headers'
        | 'invalid-timestamp'
        | 'timestamp-out-of-tolerance'
        | 'no-matching-signature';
    };

export interface VerifyOptions {
  /** How far `webhook-timestamp` may be from `now`, either way; the spec's libraries use 300. */
  toleranceSeconds?: number;
  now?: Date;
}

/** Buffer.from(…, 'base64') skips characters it does not know; a secret with typos must not pass. */
function decodeBase64Strict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  const unpadded = (value: string) => value.replace(/=+$/, '');
  return unpadded(bytes.toString('base64')) === unpadded(text) ? bytes : undefined;
}

/**
 * The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the spec's libraries).
 *
 * @throws WeftError USAGE when the secret is empty or not base64: a configuration error, never a
 *   property of a request. The message does not repeat the secret.
 */
export function parseWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64Strict(encoded);
  if (key === undefined || key.length === 0) {
    throw new WeftError(
      'USAGE',
      'failed to read webhook secret: expected whsec_ followed by base64 (e.g. 24 to 64 random bytes)',
    );
  }
  return key;
}

function computeHmac(
  key: Buffer,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/**
 * The `webhook-signature` value (`v1,<base64>`) for one attempt. `timestamp` is whole seconds
 * since the epoch; `body` is exactly the bytes sent.
 *
 * @throws WeftError USAGE for a malformed secret, an id containing `.` or whitespace (it would
 *   make the signed content ambiguous) or a timestamp that is not whole seconds.
 */
export function signStandardWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  if (id === '' || /[.\s]/.test(id)) {
    throw new WeftError(
      'USAGE',
      `failed to sign webhook: id "${id}" is empty or has "." or spaces`,
    );
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new WeftError('USAGE', `failed to sign webhook: timestamp ${timestamp} is not seconds`);
  }
  const signature = computeHmac(parseWebhookSecret(secret), id, timestamp, body);
  return `${SIGNATURE_VERSION},${signature.toString('base64')}`;
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

/** Every `v1` signature in the header, decoded; other schemes (`v1a`) are not ours to check. */
function readV1Signatures(header: string): Buffer[] {
  return header.split(' ').flatMap((entry) => {
    const [version, value] = entry.split(',');
    if (version !== SIGNATURE_VERSION || value === undefined) return [];
    const bytes = decodeBase64Strict(value);
    return bytes?.length === HMAC_SHA256_BYTES ? [bytes] : [];
  });
}

/**
 * Checks a received webhook against its raw body: headers present, timestamp within tolerance,
 * and at least one `v1` signature equal (in constant time) to the one computed here. An invalid
 * request is a returned outcome; only a malformed `secret` throws (see parseWebhookSecret).
 */
export function verifyStandardWebhook(
  secret: string,
  headers: HeaderSource,
  body: string | Uint8Array,
  options: VerifyOptions = {},
): WebhookVerification {
  const key = parseWebhookSecret(secret);
  const id = readHeader(headers, WEBHOOK_ID_HEADER);
  const timestampText = readHeader(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatures = readHeader(headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: 'invalid-timestamp' };
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) {
    return { ok: false, reason: 'timestamp-out-of-tolerance' };
  }
  const expected = computeHmac(key, id, timestamp, body);
  const matches = readV1Signatures(signatures).some((given) => timingSafeEqual(given, expected));
  return matches ? { ok: true, id, timestamp } : { ok: false, reason: 'no-matching-signature' };
}
