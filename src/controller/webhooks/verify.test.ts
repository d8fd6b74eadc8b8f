import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { octokitPayload } from './testing.js';
import type { WebhookHeaders } from './types.js';
import {
  signSha256,
  verifyBitbucket,
  verifyGeneric,
  verifyGithub,
  verifyGitlab,
  type Verifier,
} from './verify.js';

const SECRET = 'test-secret-for-weft';

describe("GitHub's published test vector", () => {
  // docs.github.com, "Validating webhook deliveries" → "Testing the webhook payload validation".
  const secret = "It's a Secret to Everybody";
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('verifies "Hello, World!" and signs it to the same value', () => {
    const body = Buffer.from('Hello, World!');
    expect(verifyGithub({ 'x-hub-signature-256': signature }, body, secret)).toEqual({ ok: true });
    expect(signSha256(body, secret)).toBe(signature);
  });

  it('rejects the same signature over a different payload or secret', () => {
    const headers = { 'x-hub-signature-256': signature };
    expect(verifyGithub(headers, Buffer.from('Hello, World?'), secret).ok).toBe(false);
    expect(verifyGithub(headers, Buffer.from('Hello, World!'), `${secret}.`).ok).toBe(false);
  });
});

const SIGNED_SCHEMES: Array<[string, Verifier, string]> = [
  ['github', verifyGithub, 'X-Hub-Signature-256'],
  ['bitbucket', verifyBitbucket, 'X-Hub-Signature'],
  ['generic', verifyGeneric, 'X-Weft-Signature'],
];

describe.each(SIGNED_SCHEMES)('%s signatures', (_provider, verify, header) => {
  const body = octokitPayload('push');
  const good = signSha256(body, SECRET);
  const hex = good.slice('sha256='.length);
  const withHeader = (value: string | string[]): WebhookHeaders => ({
    [header.toLowerCase()]: value,
  });

  it('accepts a real payload signed with the secret, whatever the header casing', () => {
    expect(verify(withHeader(good), body, SECRET)).toEqual({ ok: true });
    expect(verify({ [header]: good }, body, SECRET)).toEqual({ ok: true });
  });

  const rejected: Array<[string, WebhookHeaders, Buffer, string]> = [
    ['a wrong secret', withHeader(good), body, 'does not match'],
    ['a body changed in one byte', withHeader(good), flipByte(body, 10), 'does not match'],
    ['no signature header', {}, body, `missing ${header}`],
    ['another algorithm prefix', withHeader(`sha1=${hex}`), body, 'must read sha256='],
    ['no prefix', withHeader(hex), body, 'must read sha256='],
    ['a signature one byte short', withHeader(good.slice(0, -2)), body, 'must read sha256='],
    ['a signature one byte long', withHeader(`${good}00`), body, 'must read sha256='],
    ['non-hex digits', withHeader(`sha256=${'z'.repeat(64)}`), body, 'must read sha256='],
    ['the header repeated', withHeader([good, good]), body, `missing ${header}`],
  ];
  it.each(rejected)('rejects %s, without throwing', (label, headers, sentBody, reason) => {
    const secret = label === 'a wrong secret' ? `${SECRET}x` : SECRET;
    const verdict = verify(headers, sentBody, secret);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
    expect(JSON.stringify(verdict)).not.toContain(SECRET);
  });

  it('fails any single-byte change to the body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, xor) => {
          const original = Buffer.from(bytes);
          const signature = withHeader(signSha256(original, SECRET));
          const changed = Buffer.from(original);
          const index = at % changed.length;
          changed[index] = (changed[index] ?? 0) ^ xor;
          return verify(signature, original, SECRET).ok && !verify(signature, changed, SECRET).ok;
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('answers any header value with a verdict, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (value) => {
        expect(verify(withHeader(value), body, SECRET).ok).toBe(false);
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('GitLab tokens', () => {
  const body = Buffer.from('{}');
  it('accepts the secret sent as X-Gitlab-Token', () => {
    expect(verifyGitlab({ 'x-gitlab-token': SECRET }, body, SECRET)).toEqual({ ok: true });
    expect(verifyGitlab({ 'X-Gitlab-Token': SECRET }, body, SECRET)).toEqual({ ok: true });
  });

  const rejected: Array<[string, WebhookHeaders, string]> = [
    ['a wrong token', { 'x-gitlab-token': SECRET.replace('t', 'T') }, 'does not match'],
    ['a shorter token', { 'x-gitlab-token': SECRET.slice(0, -1) }, 'does not match'],
    ['a longer token', { 'x-gitlab-token': `${SECRET}!` }, 'does not match'],
    ['an empty token', { 'x-gitlab-token': '' }, 'does not match'],
    ['no token', {}, 'missing X-Gitlab-Token'],
    ['the token repeated', { 'x-gitlab-token': [SECRET, SECRET] }, 'missing X-Gitlab-Token'],
  ];
  it.each(rejected)('rejects %s', (_label, headers, reason) => {
    const verdict = verifyGitlab(headers, body, SECRET);
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining(reason) as string });
    expect(JSON.stringify(verdict)).not.toContain(SECRET);
  });
});

function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
