import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoadedVersion } from '../loaded-version.js';
import type { ModelEntry } from '../model-table.js';
import { modelMetadata, OipError, serverMetadata } from '../oip/index.js';
import type { ServerContext } from '../server.js';

/** Extensions this server implements beyond the core protocol. */
export const SERVER_EXTENSIONS = ['model_repository', 'weft_traffic', 'weft_feedback'];

type ModelParams = { name: string; version?: string };
type ModelRequest = FastifyRequest<{ Params: ModelParams }>;

/** Health, server metadata and model metadata: the read-only half of OIP v2. */
export function registerMetadataRoutes(
  app: FastifyInstance,
  context: ServerContext,
  server: { name: string; version: string },
): void {
  app.get('/v2/health/live', () => ({ live: true }));
  // The spec reads a health result from the status code: 200 is true, a 4xx is false.
  app.get('/v2/health/ready', (_request, reply) => {
    const ready = [...context.table.models.values()].every((entry) =>
      [...entry.versions.values()].some((v) => v.ready),
    );
    return reply.status(ready ? 200 : 400).send({ ready });
  });
  const metadata = () => serverMetadata({ ...server, extensions: SERVER_EXTENSIONS });
  app.get('/v2', metadata);
  app.get('/v2/', metadata);

  const describe = (request: ModelRequest) => {
    const { entry, version } = findVersion(context, request.params);
    return modelMetadata({
      name: entry.name,
      versions: [...entry.versions.keys()],
      platform: version.info.platform,
      signature: version.info.signature,
      properties: { digest: version.info.digest, version: version.info.version },
    });
  };
  app.get('/v2/models/:name', describe);
  app.get('/v2/models/:name/versions/:version', describe);

  const ready = (request: ModelRequest, reply: FastifyReply) => {
    const { version } = findVersion(context, request.params);
    return reply
      .status(version.ready ? 200 : 400)
      .send({ name: version.info.model, ready: version.ready });
  };
  app.get('/v2/models/:name/ready', ready);
  app.get('/v2/models/:name/versions/:version/ready', ready);
}

/** The version a URL names, or the one taking the most traffic when it names none. */
export function findVersion(
  context: ServerContext,
  params: ModelParams,
): { entry: ModelEntry; version: LoadedVersion } {
  const entry = context.table.models.get(params.name);
  if (!entry) throw new OipError(404, `model "${params.name}" is not loaded`);
  const id = params.version ?? heaviest(entry);
  const version = entry.versions.get(id);
  if (!version) throw new OipError(404, `model "${params.name}" has no version "${id}" loaded`);
  return { entry, version };
}

function heaviest(entry: ModelEntry): string {
  const [first] = [...entry.traffic.weights].sort((a, b) => b.weight - a.weight);
  return first?.version ?? [...entry.versions.keys()][0] ?? '';
}
