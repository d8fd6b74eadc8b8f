import { describe, expect, it } from 'vitest';
import { isWeftError } from '../core/errors.js';
import { assertSafeBind, isLoopbackHost } from './bind.js';

describe('assertSafeBind', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])(
    'lets %s listen without auth',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
      expect(() => assertSafeBind(host, false)).not.toThrow();
    },
  );

  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1'])(
    'refuses %s without auth, naming the fix',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
      const error = (() => {
        try {
          assertSafeBind(host, false);
        } catch (caught) {
          return caught;
        }
      })();
      expect(isWeftError(error, 'USAGE')).toBe(true);
      expect(String(error)).toContain(`refusing to listen on ${host} without auth`);
      expect(String(error)).toContain('weft token create');
    },
  );

  it('lets any address listen once auth is configured, and names the override it is given', () => {
    expect(() => assertSafeBind('0.0.0.0', true)).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', false, 'or pass --insecure')).toThrow(
      /or pass --insecure$/,
    );
  });
});
