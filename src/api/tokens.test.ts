import { describe, expect, it } from 'vitest';
import {
  generateTokenSecret,
  hashesEqual,
  hashTokenSecret,
  hasScope,
  looksLikeTokenSecret,
} from './tokens.js';

describe('token secrets', () => {
  it('are weft_ and 43 base62 characters, different every time', () => {
    const secrets = new Set(Array.from({ length: 200 }, generateTokenSecret));
    expect(secrets.size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^weft_[0-9A-Za-z]{43}$/);
      expect(looksLikeTokenSecret(secret)).toBe(true);
    }
  });

  it('use all 62 characters about evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      for (const char of generateTokenSecret().slice(5))
        counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 21,500 draws over 62 characters: ~347 each; a biased mapping would skew some by far more.
    expect(Math.min(...counts.values())).toBeGreaterThan(250);
    expect(Math.max(...counts.values())).toBeLessThan(450);
  });

  it('hash to sha256 hex, compared in constant time', () => {
    const secret = generateTokenSecret();
    const hash = hashTokenSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashesEqual(hash, hashTokenSecret(secret))).toBe(true);
    expect(hashesEqual(hash, hashTokenSecret(`${secret}x`))).toBe(false);
    expect(hashesEqual(hash, 'abcd')).toBe(false);
  });

  it('rejects strings that are not secrets before any lookup', () => {
    for (const text of [
      '',
      'weft_',
      `weft_${'a'.repeat(42)}`,
      `weft_${'a'.repeat(44)}`,
      `Weft_${'a'.repeat(43)}`,
    ]) {
      expect(looksLikeTokenSecret(text)).toBe(false);
    }
  });
});

describe('scopes', () => {
  it('include the scopes before them: read < deploy < admin', () => {
    const table: Array<[Parameters<typeof hasScope>[0], Parameters<typeof hasScope>[1], boolean]> =
      [
        ['read', 'read', true],
        ['read', 'deploy', false],
        ['deploy', 'read', true],
        ['deploy', 'admin', false],
        ['admin', 'deploy', true],
        ['admin', 'admin', true],
      ];
    for (const [granted, needed, allowed] of table) {
      expect(hasScope(granted, needed), `${granted} for ${needed}`).toBe(allowed);
    }
  });
});
