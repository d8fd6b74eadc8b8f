import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth.js';
import type { ApiContext } from '../context.js';
import { pageInMemory, pageQueryProperties, type PageQuery } from '../pagination.js';
import { errorResponses, namePattern, pageOf, ref } from '../schemas/common.js';
import { assertModelExists, modelParams, pageByKey } from './model-lookup.js';

const aliasParams = {
  type: 'object',
  required: ['name', 'alias'],
  properties: {
    name: { type: 'string', pattern: namePattern },
    alias: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9._-]{0,63}$' },
  },
} as const;

/**
 * A model's aliases, their history, and moving them. Moves go through the registry's
 * setAlias/unsetAlias, which record them in the alias history and the audit log with the
 * token's name as the actor.
 */
export function registerAliasRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { name: string }; Querystring: PageQuery }>(
    '/models/:name/aliases',
    {
      config: { access: 'read' },
      schema: {
        tags: ['models'],
        summary: "A model's aliases and the versions they point at, by alias",
        params: modelParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: pageQueryProperties,
        },
        response: { 200: pageOf('Alias'), ...errorResponses },
      },
    },
    async (request) => {
      const models = await ctx.store.listModels();
      const model = models.find((m) => m.name === request.params.name);
      if (model === undefined) await assertModelExists(ctx, request.params.name);
      const aliases = Object.entries(model?.aliases ?? {}).map(([alias, version]) => ({
        alias,
        version,
      }));
      return pageByKey(aliases, request.query, 'aliases', (a) => a.alias);
    },
  );

  app.get<{ Params: { name: string }; Querystring: PageQuery & { alias?: string } }>(
    '/models/:name/alias-history',
    {
      config: { access: 'read' },
      schema: {
        tags: ['models'],
        summary: 'Every move of the aliases of a model, oldest first',
        params: modelParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...pageQueryProperties, alias: { type: 'string', maxLength: 64 } },
        },
        response: { 200: pageOf('AliasEvent'), ...errorResponses },
      },
    },
    async (request) => {
      const { name } = request.params;
      const events = await ctx.store.aliasHistory(name, request.query.alias);
      if (events.length === 0) await assertModelExists(ctx, name);
      // The history only grows at its end, so a position is a stable cursor.
      const numbered = events.map((event, position) => ({ event, position }));
      const page = pageInMemory(
        numbered,
        request.query,
        'alias-history',
        (e) => e.position,
        'number',
      );
      return { items: page.items.map((e) => e.event), nextCursor: page.nextCursor };
    },
  );

  app.put<{ Params: { name: string; alias: string }; Body: { version: number; reason?: string } }>(
    '/models/:name/aliases/:alias',
    {
      config: { access: 'deploy' },
      schema: {
        tags: ['models'],
        summary: 'Point an alias at a version (audited with the token name)',
        params: aliasParams,
        body: {
          type: 'object',
          required: ['version'],
          additionalProperties: false,
          properties: {
            version: { type: 'integer', minimum: 1 },
            reason: { type: 'string', maxLength: 1000 },
          },
        },
        response: { 200: ref('AliasEvent'), ...errorResponses },
      },
    },
    async (request) => {
      const { name, alias } = request.params;
      return ctx.store.setAlias(name, alias, request.body.version, {
        actor: principalOf(request).token.name,
        reason: request.body.reason ?? 'set through the API',
        at: ctx.now(),
      });
    },
  );

  app.delete<{ Params: { name: string; alias: string }; Querystring: { reason?: string } }>(
    '/models/:name/aliases/:alias',
    {
      config: { access: 'deploy' },
      schema: {
        tags: ['models'],
        summary: 'Remove an alias (audited with the token name)',
        params: aliasParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', maxLength: 1000 } },
        },
        response: { 200: ref('AliasEvent'), ...errorResponses },
      },
    },
    async (request) => {
      const { name, alias } = request.params;
      return ctx.store.unsetAlias(name, alias, {
        actor: principalOf(request).token.name,
        reason: request.query.reason ?? 'removed through the API',
        at: ctx.now(),
      });
    },
  );
}
