import { afterEach, describe, expect, it } from 'vitest';
import { sampleModelVersion } from '../registry/metadata-store.fixtures.js';
import { startTestApi, type TestApi } from './api.fixtures.js';
import { SessionStore } from './sessions.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const errorOf = async (response: Response): Promise<string> =>
  ((await response.json()) as { error: string }).error;

describe('API auth', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.close();
  });

  it('answers 401 without a token, with a malformed header, an unknown or a revoked token', async () => {
    api = await startTestApi();
    const none = await api.call('/runs', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="weft"');
    expect(await errorOf(none)).toMatch(/needs a token/);
    const basic = await api.call('/runs', {
      token: null,
      headers: { authorization: 'Basic eDp5' },
    });
    expect([basic.status, await errorOf(basic)]).toEqual([
      401,
      'Authorization must be "Bearer <token>"',
    ]);
    const forged = `weft_${'A'.repeat(43)}`;
    for (const token of [forged, 'not-a-token', `${api.secrets.read}x`]) {
      const answer = await api.call('/runs', { token });
      expect([answer.status, await errorOf(answer)]).toEqual([
        401,
        'invalid token: unknown or revoked',
      ]);
    }
    await api.store.revokeApiToken('read-bot', { actor: 'test', at: new Date() });
    expect((await api.call('/runs')).status).toBe(401);
  });

  it('answers 403 when the token lacks the scope: read cannot deploy, deploy cannot admin', async () => {
    api = await startTestApi();
    await api.store.registerModelVersion(sampleModelVersion());
    const readMoves = await api.call('/models/credit/aliases/production', {
      method: 'PUT',
      body: JSON.stringify({ version: 1 }),
    });
    expect([readMoves.status, await errorOf(readMoves)]).toEqual([
      403,
      'PUT /api/v1/models/:name/aliases/:alias needs the deploy scope; token read-bot has read',
    ]);
    expect((await api.call('/tokens', { token: api.secrets.deploy })).status).toBe(403);
    const create = await api.call('/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'x', scope: 'read' }),
      token: api.secrets.deploy,
    });
    expect(create.status).toBe(403);
    expect((await api.call('/tokens', { token: api.secrets.admin })).status).toBe(200);
    expect((await api.call('/runs', { token: api.secrets.admin })).status).toBe(200);
  });

  describe('tokens', () => {
    const create = (body: unknown) =>
      api.call('/tokens', { method: 'POST', body: JSON.stringify(body), token: api.secrets.admin });

    it('creates a token whose secret is shown once and works at once', async () => {
      api = await startTestApi();
      const answer = await create({ name: 'ci', scope: 'deploy' });
      expect(answer.status).toBe(201);
      const { token, secret } = (await answer.json()) as {
        token: { name: string };
        secret: string;
      };
      expect(token).toMatchObject({ name: 'ci', scope: 'deploy', revokedAt: null });
      expect(secret).toMatch(/^weft_[0-9A-Za-z]{43}$/);
      expect((await api.call('/runs', { token: secret })).status).toBe(200);
      const listing = await api.call('/tokens', { token: api.secrets.admin });
      const text = await listing.text();
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/"hash"/);
      const [entry] = await api.store.listAudit({ action: 'token.create', actor: 'admin-bot' });
      expect(entry?.object).toEqual({ kind: 'ApiToken', name: 'ci' });
    });

    it('refuses a taken name (409) and a malformed one (400)', async () => {
      api = await startTestApi();
      expect((await create({ name: 'read-bot', scope: 'read' })).status).toBe(409);
      const bad = await create({ name: 'no spaces', scope: 'read' });
      expect([bad.status, await errorOf(bad)]).toEqual([
        400,
        'body property name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ (got "no spaces")',
      ]);
      expect((await create({ name: 'x', scope: 'root' })).status).toBe(400);
    });

    it('revokes a token: it stops working, stays listed, and the revocation is audited', async () => {
      api = await startTestApi();
      const revoke = () =>
        api.call('/tokens/read-bot', { method: 'DELETE', token: api.secrets.admin });
      const answer = await revoke();
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({
        name: 'read-bot',
        revokedAt: expect.any(String) as unknown,
      });
      expect((await api.call('/runs')).status).toBe(401);
      expect((await revoke()).status).toBe(404);
      const revoked = await api.get<Page<{ name: string }>>(
        '/tokens?revoked=true',
        api.secrets.admin,
      );
      expect(revoked.items.map((t) => t.name)).toEqual(['read-bot']);
      const [entry] = await api.store.listAudit({ action: 'token.revoke' });
      expect(entry).toMatchObject({ actor: 'admin-bot', object: { name: 'read-bot' } });
    });

    it("records a token's last use", async () => {
      api = await startTestApi();
      await api.call('/runs');
      const [readBot] = (await api.store.listApiTokens()).filter((t) => t.name === 'read-bot');
      expect(readBot?.lastUsedAt).toBeInstanceOf(Date);
    });
  });

  describe('dashboard sessions', () => {
    async function signIn(token: string, headers: Record<string, string> = {}) {
      const answer = await api.call('/session', {
        method: 'POST',
        body: JSON.stringify({ token }),
        token: null,
        headers,
      });
      const cookie = answer.headers.get('set-cookie') ?? '';
      const body = (await answer.json()) as { csrfToken: string; name: string };
      return { answer, cookie, session: cookie.split(';')[0] ?? '', body };
    }

    it('sets an HttpOnly, SameSite=Strict cookie on / that signs requests in', async () => {
      api = await startTestApi();
      const { answer, cookie, session, body } = await signIn(api.secrets.read);
      expect(answer.status).toBe(200);
      expect(cookie).toMatch(/^weft_session=[\w-]{43}; /);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/');
      expect(cookie).not.toContain('Secure');
      expect(body).toMatchObject({ name: 'read-bot', scope: 'read' });
      const runs = await api.call('/runs', { token: null, headers: { cookie: session } });
      expect(runs.status).toBe(200);
      const current = await api.call('/session', { token: null, headers: { cookie: session } });
      expect(await current.json()).toMatchObject({ name: 'read-bot', csrfToken: body.csrfToken });
      const [entry] = await api.store.listAudit({ action: 'session.create' });
      expect(entry?.actor).toBe('read-bot');
    });

    it('marks the cookie Secure when the request came over https', async () => {
      api = await startTestApi({ fastify: { trustProxy: true } });
      const { cookie } = await signIn(api.secrets.read, { 'x-forwarded-proto': 'https' });
      expect(cookie).toContain('Secure');
    });

    it('refuses to sign in with a bad token (401) or none (400)', async () => {
      api = await startTestApi();
      const { answer, cookie } = await signIn(`weft_${'b'.repeat(43)}`);
      expect([answer.status, cookie]).toEqual([401, '']);
      const empty = await api.call('/session', { method: 'POST', body: '{}', token: null });
      expect([empty.status, await errorOf(empty)]).toEqual([
        400,
        'body property token is required',
      ]);
    });

    it('needs the CSRF token on mutating requests made with the cookie', async () => {
      api = await startTestApi();
      await api.store.registerModelVersion(sampleModelVersion());
      const { session, body } = await signIn(api.secrets.deploy);
      const move = (headers: Record<string, string>) =>
        api.call('/models/credit/aliases/production', {
          method: 'PUT',
          body: JSON.stringify({ version: 1 }),
          token: null,
          headers: { cookie: session, ...headers },
        });
      const without = await move({});
      expect([without.status, await errorOf(without)]).toEqual([
        403,
        "a PUT with the session cookie needs the x-weft-csrf header set to the session's csrfToken (GET /api/v1/session)",
      ]);
      expect((await move({ 'x-weft-csrf': `${body.csrfToken.slice(1)}x` })).status).toBe(403);
      expect(await api.store.getModelVersion('credit', { alias: 'production' })).toBeUndefined();
      const withToken = await move({ 'x-weft-csrf': body.csrfToken });
      expect(withToken.status).toBe(200);
      expect(await withToken.json()).toMatchObject({ actor: 'deploy-bot' });
    });

    it('signs out (with the CSRF token), after which the cookie is refused', async () => {
      api = await startTestApi();
      const { session, body } = await signIn(api.secrets.read);
      const signOut = (headers: Record<string, string>) =>
        api.call('/session', {
          method: 'DELETE',
          token: null,
          headers: { cookie: session, ...headers },
        });
      expect((await signOut({})).status).toBe(403);
      const out = await signOut({ 'x-weft-csrf': body.csrfToken });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^weft_session=; .*Expires=Thu, 01 Jan 1970/);
      const after = await api.call('/runs', { token: null, headers: { cookie: session } });
      expect([after.status, await errorOf(after)]).toEqual([
        401,
        'the session expired or was signed out: sign in again (POST /api/v1/session)',
      ]);
    });

    it('ends a session when its token is revoked', async () => {
      api = await startTestApi();
      const { session } = await signIn(api.secrets.read);
      await api.store.revokeApiToken('read-bot', { actor: 'test', at: new Date() });
      const after = await api.call('/runs', { token: null, headers: { cookie: session } });
      expect([after.status, await errorOf(after)]).toEqual([
        401,
        'the token of this session was revoked: sign in with another',
      ]);
    });
  });
});

describe('SessionStore', () => {
  it('forgets a session once it expires, and the oldest when full', () => {
    let now = 0;
    const sessions = new SessionStore({ ttlMs: 1000, maxSessions: 2, now: () => new Date(now) });
    const first = sessions.create('hash-1');
    now = 999;
    expect(sessions.get(first.id)).toBe(first);
    now = 1000;
    expect(sessions.get(first.id)).toBeUndefined();
    const [a, b, c] = [sessions.create('a'), sessions.create('b'), sessions.create('c')];
    expect([sessions.get(a.id), sessions.get(b.id), sessions.get(c.id)]).toEqual([undefined, b, c]);
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(a.id);
  });
});
