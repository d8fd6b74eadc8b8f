import type { FastifyInstance } from 'fastify';
import type { Digest } from '../../core/digest.js';
import type { ModelCheckKind } from '../../registry/types.js';
import type { ApiContext } from '../context.js';
import { decodeCursor, pageQueryProperties, toPage, type PageQuery } from '../pagination.js';
import {
  commitPattern,
  digestPattern,
  errorResponses,
  namePattern,
  pageOf,
  ref,
} from '../schemas/common.js';
import { assertModelExists, findVersion, pageByKey, modelParams } from './model-lookup.js';

const READ = { access: 'read' } as const;

const versionParams = {
  type: 'object',
  required: ['name', 'ref'],
  properties: {
    name: { type: 'string', pattern: namePattern },
    ref: {
      type: 'string',
      pattern: namePattern,
      description: 'A version number, an alias, or the artifact digest (sha256:...).',
    },
  },
} as const;

/** Models, their versions with signature and lineage, and the checks of each version. */
export function registerModelRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: PageQuery & { prefix?: string; alias?: string } }>(
    '/models',
    {
      config: READ,
      schema: {
        tags: ['models'],
        summary: 'Models by name, with their latest version and aliases',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            prefix: { type: 'string', maxLength: 200, description: 'Names starting with this.' },
            alias: { type: 'string', maxLength: 200, description: 'Models that have this alias.' },
          },
        },
        response: { 200: pageOf('ModelSummary'), ...errorResponses },
      },
    },
    async (request) => {
      const { prefix, alias } = request.query;
      const models = (await ctx.store.listModels()).filter(
        (m) =>
          (prefix === undefined || m.name.startsWith(prefix)) &&
          (alias === undefined || alias in m.aliases),
      );
      return pageByKey(models, request.query, 'models', (m) => m.name);
    },
  );

  app.get<{ Params: { name: string }; Querystring: PageQuery & { commit?: string } }>(
    '/models/:name/versions',
    {
      config: READ,
      schema: {
        tags: ['models'],
        summary: "A model's versions, newest first",
        params: modelParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            commit: { type: 'string', pattern: commitPattern, description: 'A sha or prefix.' },
          },
        },
        response: { 200: pageOf('ModelVersion'), ...errorResponses },
      },
    },
    async (request) => {
      const { name } = request.params;
      const { limit, cursor, commit } = request.query;
      const rows = await ctx.store.listModelVersions(name, {
        limit: limit + 1,
        before: decodeCursor('model-versions', cursor, 'number'),
        commit,
      });
      if (rows.length === 0) await assertModelExists(ctx, name);
      return toPage(rows, limit, 'model-versions', (v) => v.version);
    },
  );

  app.get<{ Params: { name: string; ref: string } }>(
    '/models/:name/versions/:ref',
    {
      config: READ,
      schema: {
        tags: ['models'],
        summary: 'A version with its signature, metrics, params, aliases and lineage',
        params: versionParams,
        response: { 200: ref('ModelVersionDetail'), ...errorResponses },
      },
    },
    async (request) => {
      const version = await findVersion(ctx, request.params.name, request.params.ref);
      return { ...version, lineage: await ctx.store.lineage(version.digest) };
    },
  );

  registerCheckRoute(app, ctx);
}

interface ChecksQuery extends PageQuery {
  kind?: ModelCheckKind;
  datasetDigest?: Digest;
  configDigest?: Digest;
}

function registerCheckRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { name: string; ref: string }; Querystring: ChecksQuery }>(
    '/models/:name/versions/:ref/checks',
    {
      config: READ,
      schema: {
        tags: ['models'],
        summary: 'Evaluations and gate verdicts (validations) of a version, newest first',
        params: versionParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            kind: { type: 'string', enum: ['evaluation', 'validation'] },
            datasetDigest: { type: 'string', pattern: digestPattern },
            configDigest: { type: 'string', pattern: digestPattern },
          },
        },
        response: { 200: pageOf('ModelCheck'), ...errorResponses },
      },
    },
    async (request) => {
      const { name, ref: given } = request.params;
      const { limit, cursor, ...filters } = request.query;
      const version = await findVersion(ctx, name, given);
      const rows = await ctx.store.listModelChecks(name, version.version, {
        ...filters,
        limit: limit + 1,
        before: decodeCursor('model-checks', cursor, 'number'),
      });
      return toPage(rows, limit, 'model-checks', (check) => check.id);
    },
  );
}
