import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerWebhookRoutes, type WebhookRoutesOptions } from './routes.js';
import { octokitPayload, readFixture } from './testing.js';
import type { TriggerEvent, WebhookReceiver } from './types.js';
import { signSha256 } from './verify.js';

const SECRET = 'webhook-secret-7f3a9c';
const RECEIVERS: WebhookReceiver[] = [
  { name: 'gh', provider: 'github', secret: SECRET, branch: 'master' },
  { name: 'gh-main', provider: 'github', secret: SECRET, branch: 'main' },
  { name: 'gl', provider: 'gitlab', secret: SECRET, branch: 'master' },
  { name: 'bb-cloud', provider: 'bitbucket', secret: SECRET, branch: 'name-of-branch' },
  { name: 'bb-server', provider: 'bitbucket', secret: SECRET, branch: 'master' },
  { name: 'any', provider: 'generic', secret: SECRET, branch: 'main' },
];

interface Harness {
  url: string;
  triggered: TriggerEvent[];
  logs: string[];
  answers: string[];
  post(path: string, body: Buffer | string, headers: Record<string, string>): Promise<Answer>;
}
interface Answer {
  status: number;
  body: Record<string, unknown>;
}

let apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
});

async function serve(options: Partial<WebhookRoutesOptions> = {}): Promise<Harness> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({ logger: { level: 'debug', stream } });
  apps.push(app);
  const triggered: TriggerEvent[] = [];
  app.post('/echo', (request) => ({ type: typeof request.body, body: request.body }));
  await registerWebhookRoutes(app, {
    receivers: RECEIVERS,
    onTrigger: (event) => triggered.push(event),
    ...options,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const answers: string[] = [];
  const post = async (path: string, body: Buffer | string, headers: Record<string, string>) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  };
  return { url, triggered, logs, answers, post };
}

const githubPush = octokitPayload('push', (p) => p.ref === 'refs/heads/master');

function githubHeaders(body: Buffer | string, delivery: string, event = 'push') {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': signSha256(body, SECRET),
  };
}

describe('POST /hooks/{name}', () => {
  it('triggers once for a signed GitHub push to the tracked branch, then reports the replay', async () => {
    const hooks = await serve();
    const headers = githubHeaders(githubPush, 'delivery-1');
    const first = await hooks.post('/hooks/gh', githubPush, headers);
    expect(first).toEqual({
      status: 200,
      body: { ok: true, triggered: true, reason: 'push to master' },
    });
    expect(hooks.triggered).toEqual([
      {
        receiver: 'gh',
        provider: 'github',
        deliveryId: 'delivery-1',
        kind: 'push',
        ref: 'refs/heads/master',
        branch: 'master',
        commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        repository: 'Codertocat/Hello-World',
      },
    ]);
    const replay = await hooks.post('/hooks/gh', githubPush, headers);
    expect(replay).toEqual({
      status: 200,
      body: { ok: true, triggered: false, reason: 'duplicate delivery' },
    });
    expect(hooks.triggered).toHaveLength(1);
  });

  it('answers a GitHub ping with pong and triggers nothing', async () => {
    const hooks = await serve();
    const ping = octokitPayload('ping');
    const answer = await hooks.post('/hooks/gh', ping, githubHeaders(ping, 'ping-1', 'ping'));
    expect(answer).toEqual({ status: 200, body: { ok: true, pong: true } });
    expect(hooks.triggered).toEqual([]);
  });

  it('answers 401 and triggers nothing for a missing signature, a wrong secret or a tampered body', async () => {
    const hooks = await serve();
    const headers = githubHeaders(githubPush, 'delivery-2');
    // One byte changed: "Hello-World" becomes "hello-World", still valid JSON.
    const tampered = Buffer.from(githubPush);
    tampered.write('h', githubPush.indexOf('Hello-World'));
    const unsigned: Record<string, string> = { ...headers };
    delete unsigned['x-hub-signature-256'];
    const wrongSecret = { ...headers, 'x-hub-signature-256': signSha256(githubPush, 'guess') };
    for (const [body, sent] of [
      [tampered, headers],
      [githubPush, unsigned],
      [githubPush, wrongSecret],
    ] as const) {
      const answer = await hooks.post('/hooks/gh', body, sent);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toEqual(expect.stringContaining('X-Hub-Signature-256'));
    }
    expect(hooks.triggered).toEqual([]);
    // A rejected delivery is not remembered: the genuine one still triggers.
    expect((await hooks.post('/hooks/gh', githubPush, headers)).body.triggered).toBe(true);
  });

  it('ignores a push to another branch', async () => {
    const hooks = await serve();
    const answer = await hooks.post('/hooks/gh-main', githubPush, githubHeaders(githubPush, 'd-3'));
    expect(answer).toEqual({
      status: 200,
      body: { ok: true, triggered: false, reason: 'push to master, tracking main' },
    });
    expect(hooks.triggered).toEqual([]);
  });

  it('answers 413 for a body over the limit, before looking at it', async () => {
    const hooks = await serve({ bodyLimitBytes: 1024 });
    const big = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(2000) }));
    const answer = await hooks.post('/hooks/any', big, {
      'content-type': 'application/json',
      'x-weft-signature': signSha256(big, SECRET),
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual(expect.any(String));
    expect(hooks.triggered).toEqual([]);
  });

  it('answers 404 for a receiver that does not exist', async () => {
    const hooks = await serve();
    const answer = await hooks.post('/hooks/nope', githubPush, githubHeaders(githubPush, 'd-4'));
    expect(answer).toEqual({ status: 404, body: { error: 'no webhook receiver named "nope"' } });
  });

  it('accepts GitLab, Bitbucket Cloud, Bitbucket Server and generic deliveries', async () => {
    const hooks = await serve();
    const json = { 'content-type': 'application/json' };
    const signed = (header: string, body: Buffer | string) => ({
      [header]: signSha256(body, SECRET),
    });
    const gitlab = readFixture('gitlab-push.json');
    const cloud = readFixture('bitbucket-cloud-push.json');
    const server = readFixture('bitbucket-server-refs-changed.json');
    const generic = '{"branch": "main", "commit": "0123abc"}';
    const deliveries: Array<[string, Buffer | string, Record<string, string>]> = [
      ['gl', gitlab, { 'x-gitlab-token': SECRET, 'x-gitlab-event': 'Push Hook' }],
      ['bb-cloud', cloud, { ...signed('x-hub-signature', cloud), 'x-event-key': 'repo:push' }],
      [
        'bb-server',
        server,
        { ...signed('x-hub-signature', server), 'x-event-key': 'repo:refs_changed' },
      ],
      ['any', generic, { ...signed('x-weft-signature', generic), 'x-weft-delivery': 'g-1' }],
    ];
    for (const [name, body, headers] of deliveries) {
      const answer = await hooks.post(`/hooks/${name}`, body, { ...json, ...headers });
      expect(answer.body, name).toMatchObject({ ok: true, triggered: true });
    }
    expect(hooks.triggered.map((e) => [e.receiver, e.branch, e.commit])).toEqual([
      ['gl', 'master', 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7'],
      ['bb-cloud', 'name-of-branch', '709d658dc5b6d6afcd46049c2f332ee3f515a67d'],
      ['bb-server', 'master', '22671f0349857934857983457983475ec39f196b'],
      ['any', 'main', '0123abc'],
    ]);
    const wrongToken = await hooks.post('/hooks/gl', gitlab, {
      ...json,
      'x-gitlab-token': 'guess',
    });
    expect(wrongToken.status).toBe(401);
  });

  it('verifies a form-encoded GitHub delivery over its raw bytes', async () => {
    const hooks = await serve();
    const form = new URLSearchParams({ payload: githubPush.toString() }).toString();
    const headers = {
      ...githubHeaders(form, 'form-1'),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const answer = await hooks.post('/hooks/gh', form, headers);
    expect(answer.body).toMatchObject({ ok: true, triggered: true });
  });

  it('accepts an empty generic request as "reconcile now"', async () => {
    const hooks = await serve();
    const answer = await hooks.post('/hooks/any', '', {
      'x-weft-signature': signSha256('', SECRET),
      'x-weft-delivery': 'empty-1',
    });
    expect(answer.body).toMatchObject({ ok: true, triggered: true, reason: 'reconcile requested' });
  });

  it('answers 500 when the trigger throws, and lets the retry trigger again', async () => {
    let failing = true;
    const triggered: string[] = [];
    const hooks = await serve({
      onTrigger: (event) => {
        if (failing) throw new Error('queue is closed');
        triggered.push(event.deliveryId);
      },
    });
    const headers = githubHeaders(githubPush, 'retry-1');
    const failed = await hooks.post('/hooks/gh', githubPush, headers);
    expect(failed).toEqual({ status: 500, body: { error: 'failed to handle webhook' } });
    failing = false;
    expect((await hooks.post('/hooks/gh', githubPush, headers)).body.triggered).toBe(true);
    expect(triggered).toEqual(['retry-1']);
  });

  it('leaves the JSON parsing of other routes as it was', async () => {
    const hooks = await serve();
    const response = await fetch(`${hooks.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a": 1}',
    });
    expect(await response.json()).toEqual({ type: 'object', body: { a: 1 } });
  });

  it('never puts a secret in an answer or a log line', async () => {
    const hooks = await serve();
    await hooks.post('/hooks/gh', githubPush, githubHeaders(githubPush, 'log-1'));
    await hooks.post('/hooks/gh', githubPush, {
      ...githubHeaders(githubPush, 'log-2'),
      'x-hub-signature-256': 'sha256=00',
    });
    await hooks.post('/hooks/gl', '{}', {
      'content-type': 'application/json',
      'x-gitlab-token': `${SECRET}x`,
    });
    expect(hooks.logs.join('\n')).toContain('webhook rejected');
    for (const text of [...hooks.answers, ...hooks.logs]) expect(text).not.toContain(SECRET);
  });
});

describe('registerWebhookRoutes', () => {
  const register = (receivers: WebhookReceiver[]) =>
    registerWebhookRoutes(Fastify(), { receivers, onTrigger: () => undefined });
  const base: WebhookReceiver = { name: 'a', provider: 'github', secret: SECRET, branch: 'main' };

  it.each<[string, WebhookReceiver[], string]>([
    ['an empty secret', [{ ...base, secret: '' }], 'secret is empty'],
    ['a duplicate name', [base, { ...base }], 'same name'],
    ['a name with a slash', [{ ...base, name: 'a/b' }], 'name must be'],
    ['an unknown provider', [{ ...base, provider: 'svn' as 'github' }], 'unknown provider'],
  ])('refuses %s without echoing the secret', async (_label, receivers, message) => {
    const failure = await register(receivers).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining(message) as string,
    });
    expect(String((failure as Error).message)).not.toContain(SECRET);
  });
});
