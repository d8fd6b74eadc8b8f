import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { signStandardWebhook, verifyStandardWebhook } from './standard-webhooks.js';

// The published vector from the spec's reference library
// (standard-webhooks/libraries/javascript/src/webhook.test.ts, "sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR_TIME = { now: new Date(VECTOR.timestamp * 1000) };

function vectorHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
    ...overrides,
  };
}

describe('signStandardWebhook', () => {
  it('reproduces the published test vector', () => {
    const { secret, id, timestamp, body, signature } = VECTOR;
    expect(signStandardWebhook(secret, id, timestamp, body)).toBe(signature);
  });

  it('signs raw bytes the same as the string they encode, and accepts a secret without prefix', () => {
    const bytes = new TextEncoder().encode(VECTOR.body);
    const bare = VECTOR.secret.slice('whsec_'.length);
    expect(signStandardWebhook(bare, VECTOR.id, VECTOR.timestamp, bytes)).toBe(VECTOR.signature);
  });

  it.each([
    ['an empty secret', 'whsec_', VECTOR.id, VECTOR.timestamp],
    ['a secret that is not base64', 'whsec_not base64!', VECTOR.id, VECTOR.timestamp],
    ['an id with a dot', VECTOR.secret, 'msg.1', VECTOR.timestamp],
    ['a timestamp in milliseconds with a fraction', VECTOR.secret, VECTOR.id, 1614265330.5],
  ])('refuses %s', (_, secret, id, timestamp) => {
    let thrown: unknown;
    try {
      signStandardWebhook(secret, id, timestamp, VECTOR.body);
    } catch (error) {
      thrown = error;
    }
    expect(isWeftError(thrown, 'USAGE')).toBe(true);
    expect(String(thrown)).not.toContain('not base64!');
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts the published vector within tolerance', () => {
    expect(
      verifyStandardWebhook(VECTOR.secret, vectorHeaders(), VECTOR.body, AT_VECTOR_TIME),
    ).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp });
  });

  it('reads fetch Headers and node header objects with any case', () => {
    const headers = new Headers(vectorHeaders());
    expect(verifyStandardWebhook(VECTOR.secret, headers, VECTOR.body, AT_VECTOR_TIME).ok).toBe(
      true,
    );
    const upper = Object.fromEntries(
      Object.entries(vectorHeaders()).map(([key, value]) => [key.toUpperCase(), [value]]),
    );
    expect(verifyStandardWebhook(VECTOR.secret, upper, VECTOR.body, AT_VECTOR_TIME).ok).toBe(true);
  });

  it('accepts a matching signature anywhere in a space-separated list (secret rotation)', () => {
    const other = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const list = [other, 'v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', VECTOR.signature].join(
      ' ',
    );
    const headers = vectorHeaders({ 'webhook-signature': list });
    expect(verifyStandardWebhook(VECTOR.secret, headers, VECTOR.body, AT_VECTOR_TIME).ok).toBe(
      true,
    );
  });

  it.each([
    ['a tampered body', vectorHeaders(), '{"test": 2432232315}'],
    ['a changed id', vectorHeaders({ 'webhook-id': 'msg_other' }), VECTOR.body],
    [
      'a changed timestamp',
      vectorHeaders({ 'webhook-timestamp': String(VECTOR.timestamp + 1) }),
      VECTOR.body,
    ],
    [
      'a truncated signature',
      vectorHeaders({ 'webhook-signature': VECTOR.signature.slice(0, 8) }),
      VECTOR.body,
    ],
    ['an empty signature', vectorHeaders({ 'webhook-signature': 'v1,' }), VECTOR.body],
    [
      'the right signature under another scheme',
      vectorHeaders({ 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') }),
      VECTOR.body,
    ],
  ])('rejects %s', (_, headers, body) => {
    expect(verifyStandardWebhook(VECTOR.secret, headers, body, AT_VECTOR_TIME)).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
  });

  it('rejects the vector signed with another secret', () => {
    const other = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    expect(verifyStandardWebhook(other, vectorHeaders(), VECTOR.body, AT_VECTOR_TIME).ok).toBe(
      false,
    );
  });

  it.each([
    [-301, false],
    [-300, true],
    [300, true],
    [301, false],
  ])('with the clock %d s off the timestamp, accepts: %s', (offsetSeconds, accepted) => {
    const now = new Date((VECTOR.timestamp + offsetSeconds) * 1000);
    const result = verifyStandardWebhook(VECTOR.secret, vectorHeaders(), VECTOR.body, { now });
    expect(result.ok ? 'ok' : result.reason).toBe(accepted ? 'ok' : 'timestamp-out-of-tolerance');
  });

  it('honours a custom tolerance', () => {
    const now = new Date((VECTOR.timestamp + 10) * 1000);
    const result = verifyStandardWebhook(VECTOR.secret, vectorHeaders(), VECTOR.body, {
      now,
      toleranceSeconds: 5,
    });
    expect(result).toEqual({ ok: false, reason: 'timestamp-out-of-tolerance' });
  });

  it.each([
    ['webhook-id', 'missing-headers'],
    ['webhook-timestamp', 'missing-headers'],
    ['webhook-signature', 'missing-headers'],
  ])('rejects a request without %s', (header, reason) => {
    const headers = vectorHeaders();
    delete headers[header];
    expect(verifyStandardWebhook(VECTOR.secret, headers, VECTOR.body, AT_VECTOR_TIME)).toEqual({
      ok: false,
      reason,
    });
  });

  it('rejects a timestamp that is not whole seconds', () => {
    const headers = vectorHeaders({ 'webhook-timestamp': '1614265330abc' });
    expect(verifyStandardWebhook(VECTOR.secret, headers, VECTOR.body, AT_VECTOR_TIME)).toEqual({
      ok: false,
      reason: 'invalid-timestamp',
    });
  });

  it('accepts what it signs and nothing with a single byte changed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        (key, body, index) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = {
            'webhook-id': 'evt_1',
            'webhook-timestamp': String(VECTOR.timestamp),
            'webhook-signature': signStandardWebhook(secret, 'evt_1', VECTOR.timestamp, body),
          };
          expect(verifyStandardWebhook(secret, headers, body, AT_VECTOR_TIME).ok).toBe(true);
          const tampered = Uint8Array.from(body);
          tampered[index % body.length]! ^= 1;
          expect(verifyStandardWebhook(secret, headers, tampered, AT_VECTOR_TIME).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
