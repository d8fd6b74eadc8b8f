import { isIP } from 'node:net';
import { WeftError } from '../core/errors.js';

/** Whether a listen address is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Refuses to listen on an address other machines can reach unless auth is configured (at
 * least one usable API token, or the operator's explicit override). Without it, anyone on the
 * network could move traffic and load models. Call before listen.
 */
export function assertSafeBind(
  host: string,
  authConfigured: boolean,
  hint = 'create a token first (weft token create NAME --scope admin), or listen on 127.0.0.1',
): void {
  if (authConfigured || isLoopbackHost(host)) return;
  throw new WeftError(
    'USAGE',
    `refusing to listen on ${host} without auth: that address is reachable from other machines and no API token exists; ${hint}`,
  );
}
