import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetadataStore } from '../registry/types.js';
import { ApiError } from './errors.js';
import { findUsableToken, hasScope, hasUsableTokens } from './tokens.js';

/** The model server's routes that change what is served, by route: the audit action each is. */
const MANAGEMENT_ROUTES: ReadonlyMap<string, string> = new Map([
  ['POST /v2/repository/models/:name/load', 'serving.load'],
  ['POST /v2/repository/models/:name/unload', 'serving.unload'],
  ['PUT /v2/models/:name/traffic', 'serving.traffic'],
]);

/**
 * Puts the model server's management routes (load, unload, traffic) behind a `deploy` token
 * once any token exists, and audits each change with the token's name. Inference, metadata and
 * feedback stay open, as an inference server's data plane is. Bearer tokens only: these routes
 * are for programs (a controller, scripts), not for pages holding a session cookie.
 */
export function guardServingManagement(
  app: FastifyInstance,
  store: Pick<MetadataStore, 'listApiTokens' | 'findApiToken' | 'appendAudit'>,
): void {
  const callers = new WeakMap<FastifyRequest, string>();
  const check = async (request: FastifyRequest, reply: FastifyReply, route: string) => {
    if (!(await hasUsableTokens(store))) return;
    const secret = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = secret === undefined ? undefined : await findUsableToken(store, secret);
    if (token === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="weft"');
      throw new ApiError(
        401,
        `${route} changes what is served: send "Authorization: Bearer <token>" with a deploy token (weft token create NAME --scope deploy; weft up --server reads WEFT_TOKEN)`,
      );
    }
    if (!hasScope(token.scope, 'deploy')) {
      throw new ApiError(
        403,
        `${route} needs the deploy scope; token ${token.name} has ${token.scope}`,
      );
    }
    callers.set(request, token.name);
  };
  // Callback hooks with a synchronous way out: every inference request passes here, and only
  // the few management calls may pay for a promise.
  app.addHook('onRequest', (request, reply, done) => {
    const route = routeOf(request);
    if (!MANAGEMENT_ROUTES.has(route)) return done();
    check(request, reply, route).then(() => done(), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const actor = callers.get(request);
    const action = MANAGEMENT_ROUTES.get(routeOf(request));
    if (actor === undefined || action === undefined || reply.statusCode >= 400) return done();
    const { name } = request.params as { name: string };
    void store
      .appendAudit({
        at: new Date(),
        actor,
        action,
        object: { kind: 'Model', name },
        revision: null,
        before: null,
        after: request.body ?? null,
      })
      .catch((error: unknown) => request.log.error({ err: error }, 'failed to audit a change'))
      .finally(done);
  });
}

function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? ''}`;
}
