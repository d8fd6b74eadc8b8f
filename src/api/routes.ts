import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { WEFT_VERSION } from '../core/version.js';
import { createAuthHook, SESSION_COOKIE } from './auth.js';
import type { ApiContext, ApiDeps } from './context.js';
import { handleApiError } from './errors.js';
import { API_PREFIX } from './prefix.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAliasRoutes } from './routes/aliases.js';
import { registerDeploymentRoutes } from './routes/deployments.js';
import { registerModelRoutes } from './routes/models.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { API_SCHEMAS } from './schemas/index.js';
import { SessionStore } from './sessions.js';
import { createRequestValidator } from './validation.js';

/**
 * Mounts the control-plane API under /api/v1 on a fastify instance (the model server's, in
 * `weft up` and `weft serve`), in a plugin of its own: its validator, error handler, cookies
 * and OpenAPI document (/api/v1/openapi.json) apply to these routes only. Call before listen.
 */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const ctx: ApiContext = {
    store: deps.store,
    objects: deps.objects,
    live: deps.live,
    controller: deps.controller,
    sessions: new SessionStore({ now, ...deps.sessions }),
    now,
  };
  await app.register(
    async (api) => {
      api.setValidatorCompiler(createRequestValidator());
      api.setErrorHandler(handleApiError);
      api.setNotFoundHandler((request, reply) => {
        void reply
          .status(404)
          .send({ error: `no such endpoint: ${request.method} ${request.url}` });
      });
      await api.register(fastifyCookie);
      await api.register(fastifySwagger, swaggerOptions());
      for (const schema of API_SCHEMAS) api.addSchema(schema);
      api.addHook('onRequest', createAuthHook({ store: ctx.store, sessions: ctx.sessions, now }));
      registerRunRoutes(api, ctx);
      registerModelRoutes(api, ctx);
      registerAliasRoutes(api, ctx);
      registerDeploymentRoutes(api, ctx);
      registerAuditRoutes(api, ctx);
      registerTokenRoutes(api, ctx);
      registerSessionRoutes(api, ctx);
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () =>
        api.swagger(),
      );
    },
    { prefix: API_PREFIX },
  );
}

function swaggerOptions() {
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'weft control-plane API',
        version: WEFT_VERSION,
        description:
          'Runs, models, deployments and the audit log of a weft server. Every list answers `{items, nextCursor}`; pass `nextCursor` back as `cursor` for the next page. Errors are `{"error": "..."}`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http' as const, scheme: 'bearer', description: 'weft token create' },
          session: { type: 'apiKey' as const, in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security,
    },
    refResolver: {
      // Shared schemas keep their $id as their name under components.schemas.
      buildLocalReference: (
        json: { $id?: unknown },
        _baseUri: unknown,
        _fragment: string,
        i: number,
      ) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  };
}
