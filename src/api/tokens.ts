import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WeftError } from '../core/errors.js';
import type { ApiToken, MetadataStore, TokenScope } from '../registry/types.js';

/** Scopes in order: each includes what the ones before it may do. */
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'deploy', 'admin'];

export function isTokenScope(value: unknown): value is TokenScope {
  return TOKEN_SCOPES.includes(value as TokenScope);
}

/** True when a token of scope `granted` may do what needs `needed`. */
export function hasScope(granted: TokenScope, needed: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(granted) >= TOKEN_SCOPES.indexOf(needed);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 43 base62 characters carry 256 bits. */
const SECRET_LENGTH = 43;
const SECRET_PATTERN = /^weft_[0-9A-Za-z]{43}$/;
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A new secret: `weft_` and 43 base62 characters from the CSPRNG. Bytes of 248 and above are
 * skipped so that every character is equally likely (248 = 4 x 62).
 */
export function generateTokenSecret(): string {
  let secret = '';
  while (secret.length < SECRET_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && secret.length < SECRET_LENGTH) secret += BASE62[byte % 62];
    }
  }
  return `weft_${secret}`;
}

/** Whether a string has the shape of a secret (checked before any lookup). */
export function looksLikeTokenSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/**
 * sha256 hex of a secret: what the store keeps and looks tokens up by. The secret is 256 random
 * bits, so a fast hash is enough (there is nothing to guess); a slow KDF would only slow every
 * request down.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a, 'hex'), Buffer.from(b, 'hex')];
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The usable token a secret belongs to, or undefined (unknown, malformed or revoked). */
export async function findUsableToken(
  store: Pick<MetadataStore, 'findApiToken'>,
  secret: string,
): Promise<ApiToken | undefined> {
  if (!looksLikeTokenSecret(secret)) return undefined;
  const hash = hashTokenSecret(secret);
  const token = await store.findApiToken(hash);
  if (token === undefined || token.revokedAt !== null || !hashesEqual(token.hash, hash)) {
    return undefined;
  }
  return token;
}

/** A token's public face: everything but its hash. */
export type TokenInfo = Omit<ApiToken, 'hash'>;

export function describeToken(token: ApiToken): TokenInfo {
  const { id, name, scope, createdAt, lastUsedAt, revokedAt } = token;
  return { id, name, scope, createdAt, lastUsedAt, revokedAt };
}

/**
 * Creates a token and returns its secret, which exists nowhere else afterwards; audited as
 * `token.create` by `actor`. undefined when the name is taken; USAGE for a malformed name.
 */
export async function createToken(
  store: Pick<MetadataStore, 'createApiToken'>,
  request: { name: string; scope: TokenScope; actor: string; at: Date },
): Promise<{ token: TokenInfo; secret: string } | undefined> {
  if (!TOKEN_NAME_PATTERN.test(request.name)) {
    throw new WeftError(
      'USAGE',
      `failed to create token "${request.name}": a name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  const secret = generateTokenSecret();
  const created = await store.createApiToken(
    {
      name: request.name,
      scope: request.scope,
      hash: hashTokenSecret(secret),
      createdAt: request.at,
    },
    request.actor,
  );
  return created && { token: describeToken(created), secret };
}

/** Why a token name cannot be used again, for the CLI and the API alike. */
export function describeTakenName(name: string): string {
  return `failed to create token "${name}": the name is taken (names stay unique after revocation, so the audit log's names mean one token); pick another`;
}

/** Whether any unrevoked token exists: the API can then be reached by someone. */
export async function hasUsableTokens(
  store: Pick<MetadataStore, 'listApiTokens'>,
): Promise<boolean> {
  return (await store.listApiTokens()).some((token) => token.revokedAt === null);
}
