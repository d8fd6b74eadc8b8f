import type { ResolvedConfig } from './config.js';
import { join } from 'node:path';
import { Controller, controllerBuildDir } from '../controller/controller.js';
import { createControllerMetrics } from '../controller/controller-metrics.js';
import {
  createNotifier,
  type ControllerEvent,
  type NotifyTarget,
} from '../controller/notify/index.js';
import { registerWebhookRoutes } from '../controller/webhooks/index.js';
import { localLiveServer } from '../controller/local-live-server.js';
import { remoteLiveServer } from '../controller/remote-live-server.js';
import { ServingClient } from '../serving/client.js';
import { DASHBOARD_PATH, registerDashboardRoutes } from '../dashboard/index.js';
import {
  assertSafeBind,
  servingManagementHooks,
  hasUsableTokens,
  registerApiRoutes,
} from '../api/index.js';
import type { GitHostReporter } from '../git-hosts/index.js';
import type { RunReporter } from '../exec/report.js';
import type { MetadataStore } from '../registry/types.js';
import { createModelServer } from '../serving/server.js';
import { lockController } from '../exec/workspace-lock.js';
import { GitSource } from '../source/git-source.js';
import type { ObjectStore } from '../store/index.js';
import { loadWorkspace } from '../exec/workspace.js';
import type { ReferenceData } from '../serving/evidence/index.js';
import {
  createRegistryLoader,
  loadExternalVersion,
  loadRegisteredVersion,
  readEvaluationReference,
} from './serve-models.js';

export interface UpOptions {
  config: Readonly<ResolvedConfig>;
  url: string;
  branch: string;
  intervalMs: number;
  host: string;
  port: number;
  /**
   * A `weft serve` (over the same workspace) for the controller to drive over HTTP, so models
   * keep serving while this process stops or restarts. Absent: models are served in process.
   */
  serverUrl?: string;
  /** The deploy token the remote server asks for (WEFT_TOKEN). */
  serverToken?: string;
  logLevel: string;
  /** Enables the webhook receivers (`/hooks/github|gitlab|bitbucket|generic`). */
  webhookSecret: string | undefined;
  metadata: MetadataStore;
  store: ObjectStore;
  onEvent: (event: ControllerEvent) => void;
  /** Where events go besides the terminal (WEFT_NOTIFY_* variables). */
  notify?: NotifyTarget[];
  /** Sets commit statuses on the source's Git host (token and repository from the environment). */
  commitStatus?: GitHostReporter;
}

export interface RunningUp {
  address: string;
  /** Where the web dashboard is (sign in with a token from `weft token create`). */
  dashboardUrl: string;
  webhookPaths: string[];
  controller: Controller;
  stop(): Promise<void>;
}

const SILENT_REPORTER: RunReporter = {
  stageStarted() {},
  stageOutput() {},
  stageFinished() {},
  warn() {},
};

const PROVIDERS = ['github', 'gitlab', 'bitbucket', 'generic'] as const;

/**
 * `weft up`: the model server, the webhook receivers and the controller in one process, on one
 * machine, with the workspace's SQLite and store. Models are served as deploy/*.yaml says.
 */
export async function startUp(options: UpOptions): Promise<RunningUp> {
  const { config, metadata, store } = options;
  assertSafeBind(options.host, await hasUsableTokens(metadata));
  const unlock = await lockController(config.weftDir);
  const source = { store, metadata };
  const remote = options.serverUrl;
  // With a remote server this one only receives webhooks and exposes the controller's metrics.
  const server = createModelServer({
    logger: { level: options.logLevel },
    managementHooks: servingManagementHooks(metadata),
    ...(remote ? {} : { loadVersion: createRegistryLoader(source) }),
  });
  // Drift is measured against the evaluation data of the revision the controller built.
  const readBuildReference = async () => {
    const buildDir = controllerBuildDir(config.weftDir, options.branch);
    return loadWorkspace(buildDir, join(buildDir, '.weft')).then(
      (workspace) => readEvaluationReference(buildDir, workspace.pipeline),
      () => new Map<string, ReferenceData>(),
    );
  };
  const live = remote
    ? remoteLiveServer(
        new ServingClient(remote, options.serverToken ? { token: options.serverToken } : {}),
      )
    : localLiveServer(server, async (version, deployment) => {
        const { runtime } = deployment.spec;
        return runtime.kind === 'external'
          ? loadExternalVersion(
              {
                model: version.name,
                version: String(version.version),
                command: runtime.command,
                cwd: config.root,
              },
              { logger: server.app.log },
            )
          : loadRegisteredVersion({ ...source, references: await readBuildReference() }, version);
      });
  const controller = new Controller({
    source: new GitSource(
      { url: options.url, ref: { branch: options.branch }, intervalMs: options.intervalMs },
      { weftDir: config.weftDir, baseDir: config.root },
    ),
    sourceName: options.branch,
    metadata,
    store,
    server: live,
    weftDir: config.weftDir,
    jobs: config.jobs,
    reporter: SILENT_REPORTER,
    logger: server.app.log,
    onEvent: options.onEvent,
    metrics: createControllerMetrics(server.metricsRegistry),
    ...(options.commitStatus ? { commitStatus: options.commitStatus } : {}),
    ...(options.notify?.length
      ? { notifier: createNotifier({ targets: options.notify, logger: server.app.log }) }
      : {}),
  });
  await registerApiRoutes(server.app, {
    store: metadata,
    objects: store,
    live,
    controller: { requestReconcile: () => controller.trigger('api') },
  });
  registerDashboardRoutes(server.app);
  const secret = options.webhookSecret;
  if (secret) {
    await registerWebhookRoutes(server.app, {
      receivers: PROVIDERS.map((provider) => ({
        name: provider,
        provider,
        secret,
        branch: options.branch,
      })),
      onTrigger: () => controller.trigger('webhook'),
    });
  }
  const address = await server.listen({ host: options.host, port: options.port });
  controller.start();
  return {
    address,
    dashboardUrl: `${address}${DASHBOARD_PATH}`,
    webhookPaths: secret ? PROVIDERS.map((p) => `/hooks/${p}`) : [],
    controller,
    async stop() {
      await controller.stop();
      await server.close();
      await metadata.close();
      await unlock();
    },
  };
}

/**
 * Notification targets from the environment (secrets stay out of argv and shell history):
 * WEFT_NOTIFY_WEBHOOK_URL (+ WEFT_NOTIFY_WEBHOOK_SECRET, `whsec_...`) and WEFT_NOTIFY_SLACK_URL.
 */
export function notifyTargetsFromEnv(env: NodeJS.ProcessEnv): NotifyTarget[] {
  const targets: NotifyTarget[] = [];
  if (env.WEFT_NOTIFY_WEBHOOK_URL) {
    targets.push({
      name: 'webhook',
      kind: 'webhook',
      url: env.WEFT_NOTIFY_WEBHOOK_URL,
      ...(env.WEFT_NOTIFY_WEBHOOK_SECRET ? { secret: env.WEFT_NOTIFY_WEBHOOK_SECRET } : {}),
    });
  }
  if (env.WEFT_NOTIFY_SLACK_URL) {
    targets.push({ name: 'slack', kind: 'slack', url: env.WEFT_NOTIFY_SLACK_URL });
  }
  return targets;
}
