import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeRepoPath } from './paths.js';

describe('normalizeRepoPath', () => {
  it.each([
    ['data/raw.csv', 'data/raw.csv'],
    ['./data/raw.csv', 'data/raw.csv'],
    ['data//raw.csv', 'data/raw.csv'],
    ['model/', 'model'],
    ['a/b/../c', 'a/c'],
    ['data\\test.csv', 'data/test.csv'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(normalizeRepoPath(raw)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ['/etc/passwd', '"/etc/passwd" is absolute; expected a path relative to the repository root'],
    ['C:/data', '"C:/data" is absolute; expected a path relative to the repository root'],
    ['..', '".." is outside the repository; expected a path inside it'],
    ['a/../../b', '"a/../../b" is outside the repository; expected a path inside it'],
    ['./', '"./" is the repository root; expected a file or directory inside it'],
    [' ', 'expected a non-empty path'],
  ])('refuses %s', (raw, reason) => {
    expect(normalizeRepoPath(raw)).toEqual({ ok: false, reason });
  });

  it('allows the root itself only where asked (wdir)', () => {
    expect(normalizeRepoPath('./', { allowRoot: true })).toEqual({ ok: true, path: '.' });
  });

  it('is idempotent and leaves no ./, //, .. or trailing slash (property)', () => {
    const part = fc.constantFrom('a', 'b.txt', '.', '..', '', 'dir', '.hidden');
    const raw = fc
      .tuple(fc.array(part, { maxLength: 6 }), fc.constantFrom('/', '\\'), fc.boolean())
      .map(([parts, sep, lead]) => (lead ? './' : '') + parts.join(sep));
    fc.assert(
      fc.property(raw, fc.boolean(), (input, allowRoot) => {
        const first = normalizeRepoPath(input, { allowRoot });
        if (!first.ok) return;
        expect(normalizeRepoPath(first.path, { allowRoot })).toEqual(first);
        if (first.path !== '.') expect(first.path.split('/')).not.toContain('.');
        expect(first.path.split('/')).not.toContain('..');
        expect(first.path.split('/')).not.toContain('');
      }),
      { numRuns: 500 },
    );
  });
});
