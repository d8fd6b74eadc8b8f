import type { FastifyInstance } from 'fastify';
import type { TokenScope } from '../../registry/types.js';
import { principalOf } from '../auth.js';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { pageInMemory, pageQueryProperties, type PageQuery } from '../pagination.js';
import { errorResponses, pageOf, ref } from '../schemas/common.js';
import { createToken, describeTakenName, describeToken, TOKEN_NAME_PATTERN } from '../tokens.js';

const ADMIN = { access: 'admin' } as const;
const nameProperty = { type: 'string', pattern: TOKEN_NAME_PATTERN.source } as const;

/** Managing API tokens (admin scope): list without secrets, create (secret shown once), revoke. */
export function registerTokenRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: PageQuery & { scope?: TokenScope; revoked?: boolean } }>(
    '/tokens',
    {
      config: ADMIN,
      schema: {
        tags: ['tokens'],
        summary: 'API tokens, oldest first, without their secrets',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            scope: { type: 'string', enum: ['read', 'deploy', 'admin'] },
            revoked: { type: 'boolean' },
          },
        },
        response: { 200: pageOf('Token'), ...errorResponses },
      },
    },
    async (request) => {
      const { scope, revoked } = request.query;
      const tokens = (await ctx.store.listApiTokens())
        .filter((t) => scope === undefined || t.scope === scope)
        .filter((t) => revoked === undefined || (t.revokedAt !== null) === revoked)
        .map(describeToken);
      return pageInMemory(tokens, request.query, 'tokens', (t) => t.id, 'number');
    },
  );

  app.post<{ Body: { name: string; scope: TokenScope } }>(
    '/tokens',
    {
      config: ADMIN,
      schema: {
        tags: ['tokens'],
        summary: 'Create a token; its secret is in this answer and nowhere else',
        body: {
          type: 'object',
          required: ['name', 'scope'],
          additionalProperties: false,
          properties: {
            name: nameProperty,
            scope: { type: 'string', enum: ['read', 'deploy', 'admin'] },
          },
        },
        response: { 201: ref('CreatedToken'), ...errorResponses, 409: ref('Error') },
      },
    },
    async (request, reply) => {
      const created = await createToken(ctx.store, {
        ...request.body,
        actor: principalOf(request).token.name,
        at: ctx.now(),
      });
      if (created === undefined) throw new ApiError(409, describeTakenName(request.body.name));
      return reply.status(201).send(created);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/tokens/:name',
    {
      config: ADMIN,
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token: it stops working at once, and stays listed',
        params: { type: 'object', required: ['name'], properties: { name: nameProperty } },
        response: { 200: ref('Token'), ...errorResponses },
      },
    },
    async (request) => {
      const { name } = request.params;
      const revoked = await ctx.store.revokeApiToken(name, {
        actor: principalOf(request).token.name,
        at: ctx.now(),
      });
      if (revoked === undefined) throw new ApiError(404, `no unrevoked token named ${name}`);
      return describeToken(revoked);
    },
  );
}
