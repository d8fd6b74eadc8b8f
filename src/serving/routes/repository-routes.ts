import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OipError } from '../oip/index.js';
import type { ServerContext } from '../server.js';

type ModelRouteTypes = { Params: { name: string }; Body: unknown };
type ModelRoute = FastifyRequest<ModelRouteTypes>;

/**
 * The model-repository extension: list what can be served, load a model (from the registry)
 * and unload it. Unloading lets requests in flight finish first.
 */
export function registerRepositoryRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post('/v2/repository/index', () =>
    [...context.table.models.values()].flatMap((entry) =>
      [...entry.versions.values()].map((v) => ({
        name: entry.name,
        version: v.info.version,
        state: v.ready ? 'READY' : 'UNAVAILABLE',
        reason: v.ready ? '' : 'the runtime is not ready',
      })),
    ),
  );

  app.post<ModelRouteTypes>(
    '/v2/repository/models/:name/load',
    context.management,
    async (request: ModelRoute) => {
      const { loadVersion } = context;
      if (!loadVersion) throw new OipError(400, 'this server has no model repository to load from');
      const version = readVersionParameter(request.body);
      context.install(await loadVersion(request.params.name, version));
      return {};
    },
  );

  app.post<ModelRouteTypes>(
    '/v2/repository/models/:name/unload',
    context.management,
    (request: ModelRoute) => {
      const { name } = request.params;
      const entry = context.table.models.get(name);
      if (!entry) throw new OipError(404, `model "${name}" is not loaded`);
      const version = readVersionParameter(request.body);
      if (version !== undefined) {
        // One version, which must not take traffic: move the split first (PUT .../traffic).
        context.retire(context.table.unload(name, version));
        return {};
      }
      // Every version goes, so none can be left holding traffic the others gave up.
      for (const id of [...entry.versions.keys()].reverse()) {
        context.retire(context.table.unloadAny(name, id));
      }
      return {};
    },
  );
}

/** `{"parameters": {"version": "3"}}` picks a version; no body loads the registry's latest. */
function readVersionParameter(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  const parameters = (body as { parameters?: unknown }).parameters;
  if (typeof body !== 'object' || (parameters !== undefined && typeof parameters !== 'object')) {
    throw new OipError(400, 'the load request body must be {"parameters": {"version": "..."}}');
  }
  const version = (parameters as { version?: unknown } | undefined)?.version;
  if (version === undefined) return undefined;
  if (typeof version !== 'string' && typeof version !== 'number') {
    throw new OipError(400, 'parameters.version must be a string');
  }
  return String(version);
}
