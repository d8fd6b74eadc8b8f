import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactCredentials, SourceFetchError } from './source-errors.js';

describe('redactCredentials', () => {
  it.each([
    ['https://user:token@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
    ['https://x-access-token:ghp_abc@github.com', 'https://***@github.com'],
    ['ssh://git@host:22/repo', 'ssh://***@host:22/repo'],
    ['http://user:p@ss@host/repo', 'http://***@host/repo'],
    ['https://github.com/org/repo@v1', 'https://github.com/org/repo@v1'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
    ['/srv/git/repo.git', '/srv/git/repo.git'],
    [
      "fatal: 'https://a:b@h/x' and https://c:d@h/y",
      "fatal: 'https://***@h/x' and https://***@h/y",
    ],
  ])('%s -> %s', (text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
  });

  it('never lets a password through', () => {
    const secret = fc.string({ minLength: 4 }).filter((s) => !/[\s/]/.test(s));
    fc.assert(
      fc.property(secret, fc.domain(), (password, host) => {
        const text = `fetch https://user:${password}@${host}/repo.git failed`;
        expect(redactCredentials(text)).toBe(`fetch https://***@${host}/repo.git failed`);
      }),
    );
  });
});

describe('SourceFetchError', () => {
  it('names the redacted URL and git output, with the FetchFailed reason', () => {
    const error = new SourceFetchError(
      'https://u:t@h/r',
      "fatal: unable to access 'https://u:t@h/r/'",
    );
    expect(error).toMatchObject({
      code: 'SOURCE_FAILED',
      reason: 'FetchFailed',
      url: 'https://***@h/r',
    });
    expect(error.message).toBe(
      "failed to fetch https://***@h/r: fatal: unable to access 'https://***@h/r/'",
    );
  });
});
