import type { FastifyInstance } from 'fastify';
import { readDeploymentStatus, type DeploymentStatus } from '../../controller/deployment-status.js';
import { principalOf } from '../auth.js';
import { readTime, type ApiContext, type ApiControllerHooks } from '../context.js';
import { ApiError } from '../errors.js';
import { collectPage, pageQueryProperties, type PageQuery } from '../pagination.js';
import { errorResponses, namePattern, pageOf, ref, timeParam } from '../schemas/common.js';

const KIND = 'ModelDeployment';
const DRIFT_WINDOW_MS = 60 * 60 * 1000;

type Deployment = DeploymentStatus & { name: string; updatedAt: Date };

interface DeploymentsQuery extends PageQuery {
  ready?: 'True' | 'False' | 'Unknown';
  condition?: string;
  model?: string;
}

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: namePattern } },
} as const;

/** What the controller last wrote for each ModelDeployment, live traffic and drift. */
export function registerDeploymentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: DeploymentsQuery }>(
    '/deployments',
    {
      config: { access: 'read' },
      schema: {
        tags: ['deployments'],
        summary: 'Deployments by name, each with its status as the controller last wrote it',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            ready: {
              type: 'string',
              enum: ['True', 'False', 'Unknown'],
              description: 'Status of the Ready condition (Unknown: none yet).',
            },
            condition: {
              type: 'string',
              maxLength: 64,
              description: 'Deployments with this condition True, e.g. Stalled or Drifted.',
            },
            model: {
              type: 'string',
              maxLength: 200,
              description: 'Deployments serving this model.',
            },
          },
        },
        response: { 200: pageOf('Deployment'), ...errorResponses },
      },
    },
    async (request) => {
      const { ready, condition, model } = request.query;
      const matches = (d: Deployment): boolean =>
        (ready === undefined || readyStatusOf(d) === ready) &&
        (condition === undefined ||
          d.conditions.some((c) => c.type === condition && c.status === 'True')) &&
        (model === undefined || d.served?.model === model);
      return collectPage(
        async (after, limit) =>
          (await ctx.store.listStatuses(KIND, { after, limit })).map(toDeployment),
        matches,
        request.query,
        'deployments',
        (d) => d.name,
      );
    },
  );

  app.get<{ Params: { name: string } }>(
    '/deployments/:name',
    {
      config: { access: 'read' },
      schema: {
        tags: ['deployments'],
        summary:
          'A deployment: conditions, served version, applied history, rollout and its analysis',
        params: nameParams,
        response: { 200: ref('DeploymentDetail'), ...errorResponses },
      },
    },
    async (request) => {
      const deployment = await findDeployment(ctx, request.params.name);
      const live = deployment.served && (await ctx.live?.describe(deployment.served.model));
      return {
        ...deployment,
        live: live ? { versions: [...live.versions].sort(), traffic: live.traffic } : null,
      };
    },
  );

  registerDriftRoute(app, ctx);
  registerControllerActions(app, ctx);
}

function registerDriftRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { name: string }; Querystring: { from?: string; to?: string } }>(
    '/deployments/:name/drift',
    {
      config: { access: 'read' },
      schema: {
        tags: ['deployments'],
        summary:
          "Live evidence of the served version (and of a rollout's canary): drift, accuracy, errors",
        params: nameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: timeParam('Window start (default: an hour ago)'),
            to: timeParam('Window end (default: now)'),
          },
        },
        response: { 200: ref('Drift'), ...errorResponses, 409: ref('Error'), 503: ref('Error') },
      },
    },
    async (request) => {
      const { name } = request.params;
      const deployment = await findDeployment(ctx, name);
      if (ctx.live === undefined) {
        throw new ApiError(503, 'this server reads no live evidence (no model server attached)');
      }
      const { served, rollout } = deployment;
      if (served === null) throw new ApiError(409, `deployment ${name} serves no version yet`);
      const now = ctx.now().getTime();
      const window = {
        from: readTime(request.query.from, 'from')?.getTime() ?? now - DRIFT_WINDOW_MS,
        to: readTime(request.query.to, 'to')?.getTime() ?? now,
      };
      const canary =
        rollout &&
        (await ctx.live.evidence(
          served.model,
          rollout.canary.version,
          window,
          rollout.primary.version,
        ));
      return {
        name,
        served: await ctx.live.evidence(served.model, served.version, window),
        canary: canary ?? null,
      };
    },
  );
}

const ACTIONS = ['reconcile', 'suspend', 'resume'] as const;

/** POSTs that ask the controller of this process to act; each is audited with the token name. */
function registerControllerActions(app: FastifyInstance, ctx: ApiContext): void {
  const controllerResponses = {
    202: ref('ActionAccepted'),
    ...errorResponses,
    501: ref('Error'),
    503: ref('Error'),
  };
  for (const action of ACTIONS) {
    app.post<{ Params: { name: string } }>(
      `/deployments/:name/${action}`,
      {
        config: { access: 'deploy' },
        schema: {
          tags: ['deployments'],
          summary: `Ask the controller to ${action} a deployment (audited with the token name)`,
          params: nameParams,
          response: controllerResponses,
        },
      },
      async (request, reply) => {
        const { name } = request.params;
        const controller = requireController(ctx);
        await findDeployment(ctx, name);
        if (action === 'reconcile') await controller.requestReconcile(name);
        else await requireHook(controller, action)(name);
        await auditAction(ctx, principalOf(request).token.name, action, name);
        return reply.status(202).send({ action, name, accepted: true });
      },
    );
  }

  app.post(
    '/reconcile',
    {
      config: { access: 'deploy' },
      schema: {
        tags: ['deployments'],
        summary: 'Ask the controller for a reconcile pass of every deployment now',
        response: controllerResponses,
      },
    },
    async (request, reply) => {
      await requireController(ctx).requestReconcile();
      await auditAction(ctx, principalOf(request).token.name, 'reconcile', null);
      return reply.status(202).send({ action: 'reconcile', name: null, accepted: true });
    },
  );
}

function requireController(ctx: ApiContext) {
  if (ctx.controller === undefined) {
    throw new ApiError(
      503,
      'no controller runs in this server (weft serve): reconcile, suspend and resume need weft up',
    );
  }
  return ctx.controller;
}

function requireHook(controller: ApiControllerHooks, action: 'suspend' | 'resume') {
  const hook = controller[action]?.bind(controller);
  if (hook === undefined) {
    throw new ApiError(
      501,
      `the controller of this server cannot ${action} at runtime: set spec.suspend in the deployment's file in Git`,
    );
  }
  return hook;
}

async function auditAction(
  ctx: ApiContext,
  actor: string,
  action: (typeof ACTIONS)[number],
  name: string | null,
): Promise<void> {
  await ctx.store.appendAudit({
    at: ctx.now(),
    actor,
    action: `deployment.${action}-requested`,
    object: { kind: KIND, name: name ?? '*' },
    revision: null,
    before: null,
    after: null,
  });
}

async function findDeployment(ctx: ApiContext, name: string): Promise<Deployment> {
  const entry = await ctx.store.readStatusEntry(KIND, name);
  if (entry === undefined) {
    throw new ApiError(404, `no deployment ${name} (the controller has not reconciled it yet)`);
  }
  return toDeployment(entry);
}

function toDeployment(row: { name: string; status: unknown; updatedAt: Date }): Deployment {
  return { name: row.name, updatedAt: row.updatedAt, ...readDeploymentStatus(row.status) };
}

function readyStatusOf(deployment: Deployment): 'True' | 'False' | 'Unknown' {
  return deployment.conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}
