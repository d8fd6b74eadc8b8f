import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyServerOptions,
  type onRequestAsyncHookHandler,
  type onResponseAsyncHookHandler,
} from 'fastify';
import { describeError } from '../core/errors.js';
import { WEFT_VERSION } from '../core/version.js';
import { createBatchedInfer, type BatchingOptions } from './batched-infer.js';
import { LoadedVersion } from './loaded-version.js';
import { ModelTable, type TrafficPolicy } from './model-table.js';
import { registerInferenceRoutes } from './routes/inference-routes.js';
import { registerMetadataRoutes } from './routes/metadata-routes.js';
import { registerRepositoryRoutes } from './routes/repository-routes.js';
import { registerTrafficRoutes } from './routes/traffic-routes.js';
import { registerEvidenceRoutes } from './routes/evidence-routes.js';
import { statusOf } from './http-errors.js';
import type { OnnxPool } from './runtime/onnx-runtime.js';
import { createServerMetrics, type ServerMetrics } from './server-metrics.js';
import { EvidenceStore, RequestLog, ShadowLog } from './evidence/index.js';

export interface ModelServerOptions {
  /** Largest request body accepted; larger ones get 413. Default 16 MiB. */
  bodyLimitBytes?: number;
  /** Most tensor elements one request may carry. Default 16 M. */
  maxElements?: number;
  /** pino options, or false for no logs. */
  logger?: FastifyServerOptions['logger'];
  /** Draws traffic splits; tests make it deterministic. */
  random?: () => number;
  /** Dynamic batching for every version loaded; off when absent. */
  batching?: BatchingOptions;
  /** Loads a version for the model-repository extension (`POST /v2/repository/models/{name}/load`). */
  loadVersion?: (model: string, version: string | undefined) => Promise<LoadedVersion>;
  /**
   * The ONNX worker pool this server owns: closed by close(), after every version is retired.
   * Without it, ONNX versions run in the process's shared pool, whose threads stop once it
   * holds no session.
   */
  onnxPool?: OnnxPool;
  /**
   * Hooks of the routes that change what is served (load, unload, traffic) and of those only,
   * e.g. to ask for a token and audit: inference never runs them.
   */
  managementHooks?: ManagementHooks;
}

export interface ManagementHooks {
  onRequest: onRequestAsyncHookHandler;
  onResponse: onResponseAsyncHookHandler;
}

/** What the routes share: the routing table, metrics and live evidence. */
export interface ServerContext {
  table: ModelTable;
  metrics: ServerMetrics;
  evidence: EvidenceStore;
  /** Status and latency of recent requests per version, for rollout analysis. */
  requests: RequestLog;
  /** How shadow versions' answers compared with the primary's. */
  shadows: ShadowLog;
  random: () => number;
  maxElements: number;
  loadVersion: ModelServerOptions['loadVersion'];
  /** Route options of the management routes: their hooks, when given. */
  management: ManagementHooks | Record<string, never>;
  /** Retires replaced or unloaded versions after their requests finish; awaited on close. */
  retire(version: LoadedVersion): void;
  /** Puts a version in service (batched if configured), retiring the one it replaces. */
  install(version: LoadedVersion, options?: LoadOptions): void;
  /** Sets a model's split and publishes it as metrics. */
  setTraffic(model: string, traffic: TrafficPolicy): void;
}

/** Per-version settings that override the server's. */
export interface LoadOptions {
  /** null: this version runs each request alone, whatever the server default. */
  batching?: BatchingOptions | null;
}

export interface ModelServer {
  app: FastifyInstance;
  table: ModelTable;
  evidence: EvidenceStore;
  requests: RequestLog;
  shadows: ShadowLog;
  /** The registry `/metrics` exposes; others (the controller) may add their metrics to it. */
  metricsRegistry: Registry;
  /** Adds a version (replacing one with the same id, which is retired once drained). */
  load(version: LoadedVersion, options?: LoadOptions): void;
  setTraffic(model: string, traffic: TrafficPolicy): void;
  /** Removes a version; it finishes the requests it has, then closes. */
  unload(model: string, version: string): Promise<void>;
  listen(options: { host: string; port: number }): Promise<string>;
  /** Stops accepting connections, lets requests in flight finish, then closes every runtime (and the server's ONNX pool). */
  close(): Promise<void>;
}

export const SERVER_NAME = 'weft';

/** The OIP v2 server over a routing table of loaded model versions. */
export function createModelServer(options: ModelServerOptions = {}): ModelServer {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 16 << 20,
    // A log line per request would cost throughput and could leak payloads; errors are logged.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
  });
  const retiring = new Set<Promise<void>>();
  const context: ServerContext = {
    table: new ModelTable(),
    metrics: createServerMetrics(),
    evidence: new EvidenceStore(),
    requests: new RequestLog(),
    shadows: new ShadowLog(),
    random: options.random ?? Math.random,
    maxElements: options.maxElements ?? 16 << 20,
    loadVersion: options.loadVersion,
    management: options.managementHooks ?? {},
    install(loaded, loadOptions) {
      const version = withBatching(loaded, loadOptions?.batching ?? options.batching ?? null);
      const replaced = context.table.load(version);
      if (replaced && replaced !== version) context.retire(replaced);
      publishTraffic(version.info.model);
    },
    setTraffic(model, traffic) {
      context.table.setTraffic(model, traffic);
      publishTraffic(model);
    },
    retire(version) {
      const done = version.retire().catch((error: unknown) => {
        app.log.error(
          { err: error, model: version.info.model },
          'failed to close a retired version',
        );
      });
      retiring.add(done);
      void done.finally(() => retiring.delete(done));
    },
  };
  app.setErrorHandler((error, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send({ error: describeError(error) });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `no such endpoint: ${request.method} ${request.url}` });
  });
  registerMetadataRoutes(app, context, { name: SERVER_NAME, version: WEFT_VERSION });
  registerInferenceRoutes(app, context);
  registerRepositoryRoutes(app, context);
  registerEvidenceRoutes(app, context);
  registerTrafficRoutes(app, context);
  const withBatching = (version: LoadedVersion, batching: BatchingOptions | null): LoadedVersion =>
    batching
      ? new LoadedVersion(
          version.info,
          version.runtime,
          createBatchedInfer(version.runtime, version.info, batching, context.metrics),
        )
      : version;
  const publishTraffic = (model: string): void => {
    const entry = context.table.models.get(model);
    if (!entry) return;
    const total = entry.traffic.weights.reduce((sum, w) => sum + w.weight, 0) || 1;
    for (const id of entry.versions.keys()) {
      const weight = entry.traffic.weights.find((w) => w.version === id)?.weight ?? 0;
      context.metrics.trafficWeight.set({ model, version: id }, weight / total);
    }
  };
  return {
    app,
    table: context.table,
    evidence: context.evidence,
    requests: context.requests,
    shadows: context.shadows,
    metricsRegistry: context.metrics.registry,
    load: (version, loadOptions) => context.install(version, loadOptions),
    setTraffic: (model, traffic) => context.setTraffic(model, traffic),
    async unload(model, version) {
      const removed = context.table.unload(model, version);
      context.metrics.trafficWeight.remove({ model, version });
      publishTraffic(model);
      await removed.retire();
    },
    listen: (listenOptions) => app.listen(listenOptions),
    async close() {
      await app.close();
      for (const entry of context.table.models.values()) {
        for (const version of entry.versions.values()) context.retire(version);
      }
      await Promise.all(retiring);
      await options.onnxPool?.close();
    },
  };
}
