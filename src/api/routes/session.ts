import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiToken } from '../../registry/types.js';
import { principalOf, SESSION_COOKIE } from '../auth.js';
import { isHttps, type ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { Session } from '../sessions.js';
import { findUsableToken } from '../tokens.js';
import { errorResponses, ref } from '../schemas/common.js';

/**
 * Dashboard sign-in: a token is exchanged for a session cookie (HttpOnly, so scripts never see
 * it; SameSite=Strict, so other sites' requests do not carry it; Secure over https) and a CSRF
 * token to echo on mutating requests. Signing in and out is audited with the token's name.
 */
export function registerSessionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: { token: string } }>(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Sign in with a token: sets the weft_session cookie',
        security: [],
        body: {
          type: 'object',
          required: ['token'],
          additionalProperties: false,
          properties: { token: { type: 'string', maxLength: 200 } },
        },
        response: { 200: ref('Session'), 400: ref('Error'), 401: ref('Error') },
      },
    },
    async (request, reply) => {
      const token = await findUsableToken(ctx.store, request.body.token);
      if (token === undefined) {
        throw new ApiError(401, 'invalid token: unknown or revoked');
      }
      const session = ctx.sessions.create(token.hash);
      void reply.setCookie(SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: isHttps(request),
        expires: session.expiresAt,
      });
      await auditSession(ctx, token, 'session.create');
      return describeSession(token, session);
    },
  );

  app.get(
    '/session',
    {
      config: { access: 'read' },
      schema: {
        tags: ['session'],
        summary: 'The signed-in session, with its CSRF token',
        response: { 200: ref('Session'), ...errorResponses },
      },
    },
    (request, reply) => {
      const { token, session } = requireSession(request);
      return reply.send(describeSession(token, session));
    },
  );

  app.delete(
    '/session',
    {
      config: { access: 'read' },
      schema: {
        tags: ['session'],
        summary: 'Sign out: the session ends and the cookie is cleared',
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply: FastifyReply) => {
      const { token, session } = requireSession(request);
      ctx.sessions.delete(session.id);
      await auditSession(ctx, token, 'session.delete');
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
}

function requireSession(request: FastifyRequest): { token: ApiToken; session: Session } {
  const { token, session } = principalOf(request);
  if (session === undefined) {
    throw new ApiError(400, 'no session: this request was authenticated with a bearer token');
  }
  return { token, session };
}

function describeSession(token: ApiToken, session: Session) {
  return {
    name: token.name,
    scope: token.scope,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

async function auditSession(
  ctx: ApiContext,
  token: ApiToken,
  action: 'session.create' | 'session.delete',
): Promise<void> {
  await ctx.store.appendAudit({
    at: ctx.now(),
    actor: token.name,
    action,
    object: { kind: 'ApiToken', name: token.name },
    revision: null,
    before: null,
    after: null,
  });
}
