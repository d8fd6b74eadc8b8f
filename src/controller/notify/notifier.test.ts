import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import type { ControllerEvent } from './event.js';
import { createNotifier, type NotifierOptions, type NotifyTarget } from './notifier.js';
import { renderSlackMessage } from './slack.js';
import { verifyStandardWebhook } from './standard-webhooks.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const event: ControllerEvent = {
  id: 'evt_0123456789abcdef',
  type: 'RolloutSucceeded',
  severity: 'info',
  object: { kind: 'ModelDeployment', name: 'penguins' },
  revision: `main@sha1:${'a'.repeat(40)}`,
  message: 'penguins@2 serves 100% of traffic',
  at: '2025-01-02T03:04:05.000Z',
};

type Reply = { status: number; headers?: Record<string, string> } | 'hang';
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  signatureOk: boolean;
}

let clockMs = Date.parse('2025-01-02T03:04:05Z');
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback receiver that answers each path from a script (then 200) and checks signatures. */
async function startReceiver(script: Record<string, Reply[]> = {}) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const verdict = verifyStandardWebhook(SECRET, request.headers, body, {
        now: new Date(clockMs),
      });
      const path = request.url ?? '';
      received.push({
        path,
        headers: request.headers,
        body: body.toString(),
        signatureOk: verdict.ok,
      });
      const reply = script[path]?.shift() ?? { status: 200 };
      if (reply === 'hang') return;
      response.writeHead(reply.status, reply.headers).end('{}');
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { received, base: `http://127.0.0.1:${port}`, server };
}

function notifierFor(targets: NotifyTarget[], options: Partial<NotifierOptions> = {}) {
  const sleeps: number[] = [];
  const logs: unknown[] = [];
  const notifier = createNotifier({
    targets,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      clockMs += ms;
      return Promise.resolve();
    },
    now: () => clockMs,
    logger: { warn: (fields, message) => logs.push({ fields, message }) },
    ...options,
  });
  return { notifier, sleeps, logs };
}

describe('createNotifier', () => {
  it('retries a webhook through two 500s, signing every attempt', async () => {
    const { received, base } = await startReceiver({ '/hook': [{ status: 500 }, { status: 502 }] });
    const { notifier, sleeps } = notifierFor([
      { name: 'ops', kind: 'webhook', url: `${base}/hook`, secret: SECRET },
    ]);
    const reports = await notifier.notify(event);
    expect(reports).toEqual([
      { target: 'ops', kind: 'webhook', ok: true, attempts: 3, status: 200 },
    ]);
    expect(sleeps).toEqual([250, 500]);
    expect(received.map((r) => r.signatureOk)).toEqual([true, true, true]);
    expect(new Set(received.map((r) => r.headers['webhook-id']))).toEqual(new Set([event.id]));
    expect(received.map((r) => Number(r.headers['webhook-timestamp']))).toEqual(
      [0, 250, 750].map((offset) => Math.floor((clockMs - 750 + offset) / 1000)),
    );
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]!.body)).toEqual({
      type: event.type,
      timestamp: event.at,
      data: event,
    });
  });

  it('does not retry a 400, a 410 or a redirect', async () => {
    const { received, base } = await startReceiver({
      '/bad': [{ status: 400 }],
      '/gone': [{ status: 410 }],
      '/moved': [{ status: 302, headers: { location: '/elsewhere' } }],
    });
    const targets: NotifyTarget[] = ['bad', 'gone', 'moved'].map((name) => ({
      name,
      kind: 'webhook',
      url: `${base}/${name}`,
    }));
    const { notifier, sleeps } = notifierFor(targets);
    const reports = await notifier.notify(event);
    expect(reports.map((r) => [r.target, r.ok, r.attempts, r.status])).toEqual([
      ['bad', false, 1, 400],
      ['gone', false, 1, 410],
      ['moved', false, 1, 302],
    ]);
    expect(sleeps).toEqual([]);
    expect(received.map((r) => r.path).sort()).toEqual(['/bad', '/gone', '/moved']);
  });

  it('waits as long as a 429 Retry-After asks, and gives up when that exceeds maxMs', async () => {
    const { base } = await startReceiver({
      '/limited': [{ status: 429, headers: { 'retry-after': '2' } }],
      '/later': [{ status: 503, headers: { 'retry-after': '3600' } }],
    });
    const { notifier, sleeps } = notifierFor([
      { name: 'limited', kind: 'slack', url: `${base}/limited` },
      { name: 'later', kind: 'webhook', url: `${base}/later` },
    ]);
    const [limited, later] = await notifier.notify(event);
    expect(limited).toMatchObject({ ok: true, attempts: 2 });
    expect(sleeps).toEqual([2000]);
    expect(later).toMatchObject({ ok: false, attempts: 1, status: 503 });
    expect(later?.error).toMatch(/3600000 ms, more than retry.maxMs/);
  });

  it('stops after the configured attempts on network errors and timeouts', async () => {
    const { base } = await startReceiver({ '/slow': ['hang', 'hang'] });
    const closed = await startReceiver();
    await new Promise((resolve) => closed.server.close(resolve));
    const { notifier, sleeps } = notifierFor(
      [
        { name: 'slow', kind: 'webhook', url: `${base}/slow` },
        { name: 'down', kind: 'slack', url: `${closed.base}/down` },
      ],
      { retry: { attempts: 2 }, timeoutMs: 100 },
    );
    const reports = await notifier.notify(event);
    expect(reports).toEqual([
      {
        target: 'slow',
        kind: 'webhook',
        ok: false,
        attempts: 2,
        error: 'no response within 100 ms (gave up after 2 attempts)',
      },
      {
        target: 'down',
        kind: 'slack',
        ok: false,
        attempts: 2,
        error: 'network error: ECONNREFUSED (gave up after 2 attempts)',
      },
    ]);
    expect(sleeps).toHaveLength(2);
  });

  it('posts the Slack payload unsigned, and URL credentials as basic auth without logging them', async () => {
    const { received, base } = await startReceiver({ '/fails': [{ status: 400 }] });
    const withCredentials = base.replace('http://', 'http://bot:s3cr%40t@');
    const { notifier, logs } = notifierFor([
      { name: 'chat', kind: 'slack', url: `${base}/services/T0/B0/XXXX` },
      { name: 'auth', kind: 'webhook', url: `${withCredentials}/fails`, secret: SECRET },
    ]);
    const reports = await notifier.notify(event);
    const chat = received.find((r) => r.path.startsWith('/services'))!;
    expect(JSON.parse(chat.body)).toEqual(renderSlackMessage(event));
    expect(chat.headers['webhook-signature']).toBeUndefined();
    const auth = received.find((r) => r.path === '/fails')!;
    expect(auth.headers.authorization).toBe(
      `Basic ${Buffer.from('bot:s3cr@t').toString('base64')}`,
    );
    const visible = JSON.stringify([reports, logs]);
    expect(logs).toHaveLength(1);
    for (const secret of ['s3cr', 'XXXX', SECRET, base]) expect(visible).not.toContain(secret);
  });

  const ops: NotifyTarget = { name: 'ops', kind: 'webhook', url: 'http://127.0.0.1:1/' };
  it.each([
    ['a URL that does not parse', [{ ...ops, url: 'not a url' }], 'target ops'],
    ['a non-HTTP URL', [{ ...ops, url: 'file:///etc/passwd' }], 'target ops'],
    ['a secret that is not whsec_ base64', [{ ...ops, secret: 'whsec_??hunter2??' }], 'target ops'],
    ['a secret on a Slack target', [{ ...ops, kind: 'slack', secret: SECRET }], 'target ops'],
    ['two targets of the same name', [ops, ops], 'two targets are named ops'],
  ] as const)('refuses %s before sending anything', (_, targets, problem) => {
    let thrown: unknown;
    try {
      createNotifier({ targets });
    } catch (error) {
      thrown = error;
    }
    expect(isWeftError(thrown, 'USAGE')).toBe(true);
    expect(String(thrown)).toContain(problem);
    for (const secret of ['hunter2', SECRET]) expect(String(thrown)).not.toContain(secret);
  });
});
