import { describe, expect, it } from 'vitest';
import { describeHostMessage } from './host-message.js';

describe('describeHostMessage', () => {
  it.each([
    [
      'GitHub with errors',
      {
        message: 'Validation Failed',
        errors: [{ resource: 'Status', field: 'state', code: 'invalid' }],
      },
      'Validation Failed (Status state invalid)',
    ],
    [
      'GitHub plain',
      { message: 'Bad credentials', documentation_url: 'https://docs.github.com' },
      'Bad credentials',
    ],
    ['GitLab string', { message: '404 Project Not Found' }, '404 Project Not Found'],
    [
      'GitLab field map',
      { message: { body: ['is too long', 'is invalid'] } },
      'body is too long, is invalid',
    ],
    [
      'GitLab OAuth',
      { error: 'invalid_token', error_description: 'Token was revoked.' },
      'invalid_token (Token was revoked.)',
    ],
    [
      'Bitbucket',
      {
        type: 'error',
        error: {
          message: 'Bad request',
          fields: { key: ['Ensure this value has at most 40 characters'] },
        },
      },
      'Bad request: key Ensure this value has at most 40 characters',
    ],
  ])('reads %s', (_, body, expected) => {
    expect(describeHostMessage(JSON.stringify(body), 'Status Text')).toBe(expected);
  });

  it('falls back to the text, then to the status text', () => {
    expect(describeHostMessage('<html>upstream timed out</html>', 'Gateway Timeout')).toBe(
      '<html>upstream timed out</html>',
    );
    expect(describeHostMessage('', 'Gateway Timeout')).toBe('Gateway Timeout');
    expect(describeHostMessage('{}', 'Bad Request')).toBe('Bad Request');
  });

  it('keeps a long page short', () => {
    expect(describeHostMessage('x'.repeat(5000), '')).toHaveLength(301);
  });
});
