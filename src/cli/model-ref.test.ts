import { describe, expect, it } from 'vitest';
import { parseModelRef } from './model-ref.js';

describe('parseModelRef', () => {
  it.each([
    ['credit', { name: 'credit', ref: 'latest' }],
    ['credit@7', { name: 'credit', ref: { version: 7 } }],
    ['credit:production', { name: 'credit', ref: { alias: 'production' } }],
    [
      `credit@sha256:${'a'.repeat(64)}`,
      { name: 'credit', ref: { digest: `sha256:${'a'.repeat(64)}` } },
    ],
  ])('reads %s', (text, expected) => {
    expect(parseModelRef(text)).toEqual(expected);
  });

  it.each(['credit@0', 'credit@x', 'credit:', '@3', 'credit@sha256:abc'])('rejects %s', (text) => {
    expect(() => parseModelRef(text)).toThrow(/expected NAME, NAME@VERSION, NAME:ALIAS/);
  });
});
