import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MetadataStore } from '../registry/types.js';
import type { ManagementHooks } from '../serving/server.js';
import { ApiError } from './errors.js';
import { findUsableToken, hasScope, hasUsableTokens } from './tokens.js';

/** The model server's routes that change what is served: the audit action each is. */
const ACTIONS: ReadonlyMap<string, string> = new Map([
  ['/v2/repository/models/:name/load', 'serving.load'],
  ['/v2/repository/models/:name/unload', 'serving.unload'],
  ['/v2/models/:name/traffic', 'serving.traffic'],
]);

/**
 * Hooks for the model server's management routes (load, unload, traffic): once any token
 * exists they need a `deploy` token, and each change is audited with the token's name.
 * Inference, metadata and feedback stay open, as an inference server's data plane is, and never
 * run these hooks. Bearer tokens only: these routes are for programs (a controller, scripts),
 * not for pages holding a session cookie.
 */
export function servingManagementHooks(
  store: Pick<MetadataStore, 'listApiTokens' | 'findApiToken' | 'appendAudit'>,
): ManagementHooks {
  const callers = new WeakMap<FastifyRequest, string>();
  return {
    async onRequest(request: FastifyRequest, reply: FastifyReply) {
      if (!(await hasUsableTokens(store))) return;
      const route = `${request.method} ${request.routeOptions.url ?? ''}`;
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
    },
    async onResponse(request: FastifyRequest, reply: FastifyReply) {
      const actor = callers.get(request);
      const action = ACTIONS.get(request.routeOptions.url ?? '');
      if (actor === undefined || action === undefined || reply.statusCode >= 400) return;
      const { name } = request.params as { name: string };
      await store
        .appendAudit({
          at: new Date(),
          actor,
          action,
          object: { kind: 'Model', name },
          revision: null,
          before: null,
          after: request.body ?? null,
        })
        .catch((error: unknown) => request.log.error({ err: error }, 'failed to audit a change'));
    },
  };
}
