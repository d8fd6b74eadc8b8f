import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownGitHost, parseGitRemoteUrl } from './remote-url.js';

describe('parseGitRemoteUrl', () => {
  it.each([
    ['https://github.com/octo/weft-demo.git', 'github.com', 'octo/weft-demo'],
    ['https://github.com/octo/weft-demo', 'github.com', 'octo/weft-demo'],
    ['https://github.com/octo/weft-demo/', 'github.com', 'octo/weft-demo'],
    [
      'https://x-access-token:ghs_abc@github.com/octo/weft-demo.git',
      'github.com',
      'octo/weft-demo',
    ],
    ['git@github.com:octo/weft-demo.git', 'github.com', 'octo/weft-demo'],
    ['ssh://git@ssh.github.com:443/octo/weft-demo.git', 'ssh.github.com', 'octo/weft-demo'],
    ['git+ssh://git@github.com/octo/weft-demo.git', 'github.com', 'octo/weft-demo'],
    ['git://github.com/octo/weft-demo.git', 'github.com', 'octo/weft-demo'],
    ['https://gitlab.com/ml-team/models/penguins.git', 'gitlab.com', 'ml-team/models/penguins'],
    ['git@gitlab.com:ml-team/models/penguins.git', 'gitlab.com', 'ml-team/models/penguins'],
    [
      'https://oauth2:glpat-x@gitlab.example.com:8443/ml/penguins.git',
      'gitlab.example.com',
      'ml/penguins',
    ],
    ['https://jdoe@bitbucket.org/acme/penguins.git', 'bitbucket.org', 'acme/penguins'],
    ['git@bitbucket.org:acme/penguins.git', 'bitbucket.org', 'acme/penguins'],
    ['GitHub.COM:Octo/Weft-Demo', 'github.com', 'Octo/Weft-Demo'],
  ])('reads %s', (url, hostname, path) => {
    expect(parseGitRemoteUrl(url)).toEqual({ hostname, path });
  });

  it.each([
    '',
    '/srv/git/repo.git',
    'file:///srv/git/repo.git',
    'https://github.com/',
    'not a url',
  ])('refuses %j with a message saying what it expected', (url) => {
    expect(() => parseGitRemoteUrl(url)).toThrow(
      /failed to read the Git remote URL .*: expected https:\/\/host\/owner\/repo\.git or git@host:owner\/repo\.git/,
    );
  });

  const segment = fc
    .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/)
    .filter((s) => !s.endsWith('.git'));
  const remote = fc.record({
    hostname: fc.constantFrom('github.com', 'gitlab.com', 'bitbucket.org', 'git.example.co.uk'),
    segments: fc.array(segment, { minLength: 2, maxLength: 4 }),
    form: fc.constantFrom('https', 'ssh', 'scp', 'git+ssh'),
    user: fc.option(fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), { nil: undefined }),
    secret: fc.option(fc.stringMatching(/^[A-Za-z0-9_]{8,30}$/), { nil: undefined }),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    suffix: fc.constantFrom('', '.git', '/', '.git/'),
  });

  it('reads back host and path from every form it is written in', () => {
    fc.assert(
      fc.property(remote, (r) => {
        const path = r.segments.join('/');
        const userinfo = r.user
          ? `${r.user}${r.secret && r.form === 'https' ? `:${r.secret}` : ''}@`
          : '';
        const port = r.port && r.form !== 'scp' ? `:${r.port}` : '';
        const url =
          r.form === 'scp'
            ? `${userinfo}${r.hostname}:${path}${r.suffix}`
            : `${r.form}://${userinfo}${r.hostname}${port}/${path}${r.suffix}`;
        expect(parseGitRemoteUrl(url)).toEqual({ hostname: r.hostname, path });
      }),
    );
  });

  it('never shows the password of a URL it cannot read', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_@/]{8,30}$/), (secret) => {
        const message = (() => {
          try {
            parseGitRemoteUrl(`https://user:${secret}@github.com/`);
            return 'parsed';
          } catch (error) {
            return (error as Error).message;
          }
        })();
        expect(message).not.toContain(secret);
      }),
    );
  });
});

describe('knownGitHost', () => {
  it('knows the three clouds and their SSH aliases, nothing else', () => {
    expect(knownGitHost('GitHub.com')).toBe('github');
    expect(knownGitHost('ssh.github.com')).toBe('github');
    expect(knownGitHost('altssh.gitlab.com')).toBe('gitlab');
    expect(knownGitHost('bitbucket.org')).toBe('bitbucket');
    expect(knownGitHost('github.example.com')).toBeUndefined();
  });
});
