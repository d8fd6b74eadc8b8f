import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiToken, MetadataStore, TokenScope } from '../registry/types.js';
import { ApiError } from './errors.js';
import type { Session, SessionStore } from './sessions.js';
import { findUsableToken, hasScope, hashesEqual } from './tokens.js';

/** Who a route admits: a scope, or anyone (the OpenAPI document, signing in). */
export type RouteAccess = TokenScope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call an API route; routes outside the API have none. */
    access?: RouteAccess;
  }
}

/** The caller of an authenticated request. */
export interface Principal {
  token: ApiToken;
  /** Set when the request came with the session cookie rather than a bearer token. */
  session?: Session;
}

export const SESSION_COOKIE = 'weft_session';
export const CSRF_HEADER = 'x-weft-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How often a token's `last_used_at` is written at most: a write per request would cost. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface AuthDeps {
  store: Pick<MetadataStore, 'findApiToken' | 'touchApiToken'>;
  sessions: SessionStore;
  now: () => Date;
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** The caller the auth hook admitted; only routes with a scope have one. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error(`no principal on ${request.method} ${request.url}`);
  return principal;
}

/**
 * The onRequest hook: a bearer token, else the session cookie, must name a usable token whose
 * scope covers the route's (401 without one, 403 with too little). Mutating requests made
 * with the cookie must echo the session's CSRF token in `x-weft-csrf` (double submit): a page
 * on another origin can make the browser send the cookie, but cannot read the token.
 */
export function createAuthHook(deps: AuthDeps) {
  const lastWritten = new Map<number, number>();
  // Awaited (at most once a minute per token) so `weft token list` is right when a call returns.
  const recordUse = async (request: FastifyRequest, token: ApiToken): Promise<void> => {
    const now = deps.now();
    if (now.getTime() - (lastWritten.get(token.id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    lastWritten.set(token.id, now.getTime());
    await deps.store.touchApiToken(token.id, now).catch((error: unknown) => {
      request.log.warn({ err: error }, 'failed to record the use of an API token');
    });
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const access = request.routeOptions.config.access;
    // No access: the not-found handler, which answers the same to everyone.
    if (access === undefined || access === 'public') return;
    const principal = await authenticate(request, reply, deps);
    if (principal.session && !SAFE_METHODS.has(request.method))
      checkCsrf(request, principal.session);
    if (!hasScope(principal.token.scope, access)) {
      throw new ApiError(
        403,
        `${request.method} ${request.routeOptions.url ?? request.url} needs the ${access} scope; token ${principal.token.name} has ${principal.token.scope}`,
      );
    }
    principals.set(request, principal);
    await recordUse(request, principal.token);
  };
}

async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AuthDeps,
): Promise<Principal> {
  const unauthorized = (message: string): ApiError => {
    void reply.header('www-authenticate', 'Bearer realm="weft"');
    return new ApiError(401, message);
  };
  const header = request.headers.authorization;
  if (header !== undefined) {
    const secret = /^Bearer +(\S+)$/i.exec(header)?.[1];
    if (secret === undefined) throw unauthorized('Authorization must be "Bearer <token>"');
    const token = await findUsableToken(deps.store, secret);
    if (token === undefined) throw unauthorized('invalid token: unknown or revoked');
    return { token };
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (sessionId !== undefined) {
    const session = deps.sessions.get(sessionId);
    if (session === undefined) {
      throw unauthorized(
        'the session expired or was signed out: sign in again (POST /api/v1/session)',
      );
    }
    const token = await deps.store.findApiToken(session.tokenHash);
    if (
      token === undefined ||
      token.revokedAt !== null ||
      !hashesEqual(token.hash, session.tokenHash)
    ) {
      deps.sessions.delete(session.id);
      throw unauthorized('the token of this session was revoked: sign in with another');
    }
    return { token, session };
  }
  throw unauthorized(
    'this endpoint needs a token: send "Authorization: Bearer <token>" (create one with weft token create) or sign in (POST /api/v1/session)',
  );
}

function checkCsrf(request: FastifyRequest, session: Session): void {
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(
      403,
      `a ${request.method} with the session cookie needs the ${CSRF_HEADER} header set to the session's csrfToken (GET /api/v1/session)`,
    );
  }
}
