import { createHmac } from 'node:crypto';
import { startWeft, type WeftProcess } from './weft-cli.js';

/** A running `weft up` and the base URL it serves at. */
export interface WeftUp extends WeftProcess {
  base: string;
}

/**
 * `weft up` on port 0 in `dir`, polling every minute (tests push webhooks instead), waited on
 * until it serves. `flags` follow the defaults; a start that fails kills the process.
 */
export async function startWeftUp(
  dir: string,
  options: { env?: NodeJS.ProcessEnv; flags?: string[] } = {},
): Promise<WeftUp> {
  const args = ['up', '--port', '0', '--interval', '1m', ...(options.flags ?? [])];
  const up = startWeft(dir, args, { env: options.env });
  try {
    const [, base = ''] = await up.waitFor(/serving at (http:\/\/127\.0\.0\.1:\d+)/);
    return { ...up, base };
  } catch (error) {
    up.child.kill('SIGKILL');
    throw error;
  }
}

/** POSTs `body` as JSON, with a bearer `token` when given; resolves with the status. */
export async function postJson(
  url: string,
  body: unknown,
  method = 'POST',
  token?: string,
): Promise<number> {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return response.status;
}

/**
 * POSTs `payload` to weft's generic webhook, signed with `secret` as `x-weft-signature` (unsigned
 * without one) and named `delivery` when given.
 */
export function sendWebhook(
  base: string,
  payload: unknown,
  signing: { secret?: string; delivery?: string } = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signing.secret !== undefined) {
    const signature = createHmac('sha256', signing.secret).update(body).digest('hex');
    headers['x-weft-signature'] = `sha256=${signature}`;
  }
  if (signing.delivery !== undefined) headers['x-weft-delivery'] = signing.delivery;
  return fetch(`${base}/hooks/generic`, { method: 'POST', body, headers });
}

/**
 * One OIP infer request of a single penguin (the example's 7 features) to the served penguins
 * model; `id` names it for feedback, `version` pins it to that version.
 */
export function inferPenguin(
  base: string,
  features: number[],
  options: { id?: string; version?: string } = {},
): Promise<Response> {
  const inputs = [{ name: 'features', shape: [1, 7], datatype: 'FP32', data: features }];
  return fetch(`${base}/v2/models/penguins/infer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.version ? { 'weft-model-version': options.version } : {}),
    },
    body: JSON.stringify(options.id ? { id: options.id, inputs } : { inputs }),
  });
}
