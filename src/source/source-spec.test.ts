import { describe, expect, it } from 'vitest';
import {
  formatRevision,
  isValidRefName,
  resolveGitSource,
  type GitSourceSpec,
} from './source-spec.js';

const spec = (overrides: Partial<GitSourceSpec> = {}): GitSourceSpec => ({
  url: 'https://github.com/org/repo.git',
  ref: { branch: 'main' },
  intervalMs: 60_000,
  ...overrides,
});

describe('resolveGitSource', () => {
  it('applies the default jitter and names the full ref', () => {
    expect(resolveGitSource(spec(), '/base')).toEqual({
      url: 'https://github.com/org/repo.git',
      displayUrl: 'https://github.com/org/repo.git',
      ref: { branch: 'main' },
      refName: 'main',
      fullRef: 'refs/heads/main',
      intervalMs: 60_000,
      jitter: 0.1,
    });
    expect(resolveGitSource(spec({ ref: { tag: 'v1.2' } }), '/base').fullRef).toBe(
      'refs/tags/v1.2',
    );
  });

  it.each([
    ['../repo', '/base/repo'],
    ['/srv/repo.git', '/srv/repo.git'],
    ['file:///srv/repo.git', 'file:///srv/repo.git'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
  ])('resolves %s against the base directory only when it is a local path', (url, expected) => {
    expect(resolveGitSource(spec({ url }), '/base/dir').url).toBe(expected);
  });

  it('redacts credentials in the display URL', () => {
    expect(resolveGitSource(spec({ url: 'https://u:t@h/r.git' }), '/').displayUrl).toBe(
      'https://***@h/r.git',
    );
  });

  it.each<[string, Partial<GitSourceSpec>]>([
    ['an empty url', { url: '' }],
    ['a url read as an option', { url: '--upload-pack=touch /tmp/x' }],
    ['a ref that breaks the refspec', { ref: { branch: 'main:refs/heads/x' } }],
    ['no interval', { intervalMs: 0 }],
    ['jitter above 1', { jitter: 1.5 }],
  ])('rejects %s', (_name, overrides) => {
    expect(() => resolveGitSource(spec(overrides), '/')).toThrow(/invalid git source/);
  });
});

describe('isValidRefName', () => {
  it.each(['main', 'release/1.x', 'v1.0.0', 'feature/a-b_c', 'ünïcode'])('accepts %s', (name) => {
    expect(isValidRefName(name)).toBe(true);
  });

  it.each([
    '',
    '-x',
    '/main',
    'main/',
    'a..b',
    'a//b',
    'a.lock',
    'a/.b',
    'x.',
    '@',
    'a@{1}',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[',
    'a\\b',
    'a\tb',
  ])('rejects %j', (name) => {
    expect(isValidRefName(name)).toBe(false);
  });
});

it('formats revisions the Flux way', () => {
  expect(formatRevision('main', 'a'.repeat(40))).toBe(`main@sha1:${'a'.repeat(40)}`);
});
