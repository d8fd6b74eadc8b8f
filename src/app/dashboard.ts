import Fastify from 'fastify';
import { assertSafeBind, hasUsableTokens, registerApiRoutes } from '../api/index.js';
import { DASHBOARD_PATH, registerDashboardRoutes } from '../dashboard/index.js';
import { openMetadataStore } from '../registry/index.js';
import type { ResolvedConfig } from './config.js';
import { openStore } from './open.js';

export interface DashboardServerOptions {
  config: Readonly<ResolvedConfig>;
  host: string;
  port: number;
  logLevel: string;
}

export interface RunningDashboard {
  /** `http://127.0.0.1:8080`: the server. */
  address: string;
  /** Where to point a browser. */
  url: string;
  /** Whether any token can sign in yet (none: `weft token create` first). */
  hasTokens: boolean;
  stop(): Promise<void>;
}

/**
 * `weft dashboard`: the dashboard and the control-plane API over this workspace's store, with
 * no controller and no model server (reconcile answers 503, deployments have no live traffic):
 * for reading runs, models and what a controller elsewhere wrote to the same database.
 */
export async function startDashboard(options: DashboardServerOptions): Promise<RunningDashboard> {
  const { config } = options;
  const store = await openMetadataStore(config.metadata);
  const app = Fastify({ logger: { level: options.logLevel } });
  try {
    const hasTokens = await hasUsableTokens(store);
    assertSafeBind(options.host, hasTokens);
    await registerApiRoutes(app, { store, objects: await openStore(config) });
    registerDashboardRoutes(app);
    const address = await app.listen({ host: options.host, port: options.port });
    return {
      address,
      url: `${address}${DASHBOARD_PATH}`,
      hasTokens,
      async stop() {
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await app.close();
    await store.close();
    throw error;
  }
}
