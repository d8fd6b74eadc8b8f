import type { FastifyInstance } from 'fastify';
import type { Digest } from '../../core/digest.js';
import type { RunStatus } from '../../registry/types.js';
import { readTime, type ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import {
  decodeCursor,
  lowest,
  pageInMemory,
  pageQueryProperties,
  toPage,
  type PageQuery,
} from '../pagination.js';
import {
  commitPattern,
  digestPattern,
  errorResponses,
  pageOf,
  ref,
  timeParam,
} from '../schemas/common.js';

const READ = { access: 'read' } as const;
const MIB = 1024 * 1024;
/** Logs larger than this are not read into memory at all. */
const LOG_HARD_LIMIT = 64 * MIB;

interface RunsQuery extends PageQuery {
  status?: RunStatus;
  branch?: string;
  commit?: string;
  pipeline?: string;
  since?: string;
  until?: string;
  before?: number;
}

const runIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

/** Runs, their stage executions and logs, metrics across runs, and lineage. */
export function registerRunRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: RunsQuery }>(
    '/runs',
    {
      config: READ,
      schema: {
        tags: ['runs'],
        summary: 'Runs, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
            branch: { type: 'string', maxLength: 250 },
            commit: { type: 'string', pattern: commitPattern, description: 'A sha or prefix.' },
            pipeline: { type: 'string', maxLength: 250 },
            since: timeParam('Runs started at or after'),
            until: timeParam('Runs started before'),
            before: { type: 'integer', minimum: 1, description: 'Runs with an id below this.' },
          },
        },
        response: { 200: pageOf('Run'), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, since, until, before, ...filters } = request.query;
      const after = decodeCursor('runs', cursor, 'number');
      const rows = await ctx.store.listRuns({
        ...filters,
        limit: limit + 1,
        before: lowest(after, before),
        since: readTime(since, 'since'),
        until: readTime(until, 'until'),
      });
      return toPage(rows, limit, 'runs', (run) => run.id);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/runs/:id',
    {
      config: READ,
      schema: {
        tags: ['runs'],
        summary: 'A run with its stage executions',
        params: runIdParams,
        response: { 200: ref('RunDetail'), ...errorResponses },
      },
    },
    async (request) => findRun(ctx, request.params.id),
  );

  registerLogRoute(app, ctx);
  registerMetricRoutes(app, ctx);

  app.get<{ Params: { digest: Digest } }>(
    '/lineage/:digest',
    {
      config: READ,
      schema: {
        tags: ['runs'],
        summary: "An artifact's lineage: edges towards its inputs",
        params: {
          type: 'object',
          required: ['digest'],
          properties: { digest: { type: 'string', pattern: digestPattern } },
        },
        response: { 200: ref('Lineage'), ...errorResponses },
      },
    },
    async (request) => {
      const { digest } = request.params;
      const edges = await ctx.store.lineage(digest);
      if (edges.length === 0) throw new ApiError(404, `no lineage recorded for ${digest}`);
      return { digest, edges };
    },
  );
}

async function findRun(ctx: ApiContext, id: number) {
  const run = await ctx.store.getRun(id);
  if (run === undefined) throw new ApiError(404, `no run ${id}`);
  return run;
}

function registerLogRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { id: number; stage: string }; Querystring: { maxBytes: number } }>(
    '/runs/:id/stages/:stage/log',
    {
      config: READ,
      schema: {
        tags: ['runs'],
        summary: "A stage's log (of its newest execution in the run), or its last maxBytes",
        description:
          'Answers text/plain. A log longer than maxBytes is cut to its end, with `x-weft-log-truncated: true` and its full size in `x-weft-log-size`.',
        params: {
          type: 'object',
          required: ['id', 'stage'],
          properties: { id: { type: 'integer', minimum: 1 }, stage: { type: 'string' } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxBytes: { type: 'integer', minimum: 1, maximum: 16 * MIB, default: MIB },
          },
        },
        response: {
          200: {
            description: 'The log',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...errorResponses,
          503: ref('Error'),
        },
      },
    },
    async (request, reply) => {
      const { id, stage } = request.params;
      const run = await findRun(ctx, id);
      const execution = run.stages.filter((s) => s.stage === stage).at(-1);
      if (execution === undefined) throw new ApiError(404, `run ${id} has no stage ${stage}`);
      if (execution.logDigest === null)
        throw new ApiError(404, `stage ${stage} of run ${id} kept no log`);
      if (ctx.objects === undefined) {
        throw new ApiError(503, 'this server has no object store attached: logs cannot be read');
      }
      const size = await ctx.objects.sizeOf(execution.logDigest);
      if (size > LOG_HARD_LIMIT) {
        throw new ApiError(
          413,
          `the log is ${size} bytes, more than this API reads (${LOG_HARD_LIMIT}); use weft show --log on the machine`,
        );
      }
      const bytes = await ctx.objects.readBytes(execution.logDigest);
      const { maxBytes } = request.query;
      void reply
        .type('text/plain; charset=utf-8')
        .header('x-weft-log-size', String(bytes.length))
        .header('x-weft-log-truncated', String(bytes.length > maxBytes));
      return bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes) : bytes;
    },
  );
}

interface HistoryQuery extends PageQuery {
  file?: string;
  stage?: string;
  pipeline?: string;
  branch?: string;
  since?: string;
  until?: string;
}

function registerMetricRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { id: number }; Querystring: PageQuery & { file?: string } }>(
    '/runs/:id/metrics',
    {
      config: READ,
      schema: {
        tags: ['runs'],
        summary: 'Metrics of a run (the newest execution of each stage), by file and key',
        params: runIdParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...pageQueryProperties, file: { type: 'string', maxLength: 500 } },
        },
        response: { 200: pageOf('MetricValue'), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { file } = request.query;
      const metrics = await ctx.store.runMetrics(id);
      if (metrics.length === 0) await findRun(ctx, id);
      const keyOf = (m: { file: string; key: string }) => `${m.file}\u0000${m.key}`;
      const sorted = metrics
        .filter((m) => file === undefined || m.file === file)
        .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      return pageInMemory(sorted, request.query, 'run-metrics', keyOf, 'string');
    },
  );

  app.get<{ Params: { key: string }; Querystring: HistoryQuery }>(
    '/metrics/:key/history',
    {
      config: READ,
      schema: {
        tags: ['runs'],
        summary: 'Every recorded value of one metric (its dotted key) across runs, newest first',
        params: {
          type: 'object',
          required: ['key'],
          properties: { key: { type: 'string', minLength: 1, maxLength: 500 } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            file: { type: 'string', maxLength: 500 },
            stage: { type: 'string', maxLength: 250 },
            pipeline: { type: 'string', maxLength: 250 },
            branch: { type: 'string', maxLength: 250 },
            since: timeParam('Runs started at or after'),
            until: timeParam('Runs started before'),
          },
        },
        response: { 200: pageOf('MetricPoint'), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, since, until, ...filters } = request.query;
      const rows = await ctx.store.metricHistory(request.params.key, {
        ...filters,
        limit: limit + 1,
        before: decodeCursor('metric-history', cursor, 'number'),
        since: readTime(since, 'since'),
        until: readTime(until, 'until'),
      });
      return toPage(rows, limit, 'metric-history', (point) => point.id);
    },
  );
}
