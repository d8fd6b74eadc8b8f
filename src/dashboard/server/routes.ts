import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEFT_VERSION } from '../../core/version.js';
import { DashboardAssets, defaultAssetsDir } from './assets.js';
import { renderNotBuilt, renderShell, SECURITY_HEADERS } from './shell.js';

/** Where the dashboard lives; `/` redirects here when nothing else claims it. */
export const DASHBOARD_PATH = '/ui/';

export interface DashboardOptions {
  /** dist/dashboard (manifest.json and assets/); default: the one beside this weft's bundle. */
  assetsDir?: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const YEAR_S = 365 * 24 * 60 * 60;

/**
 * Serves the web dashboard: the HTML shell at /ui/ (no-cache, so a new build's asset names are
 * picked up) and its content-hashed assets at /ui/assets/* (cached for a year, immutable), all
 * under a strict Content-Security-Policy. The dashboard reads everything through /api/v1 with
 * the session cookie, so mount registerApiRoutes on the same instance. Call before listen.
 */
export function registerDashboardRoutes(
  app: FastifyInstance,
  options: DashboardOptions = {},
): void {
  const assets = new DashboardAssets(options.assetsDir ?? defaultAssetsDir());
  const secure = (reply: FastifyReply): FastifyReply => reply.headers(SECURITY_HEADERS);

  app.get(DASHBOARD_PATH, async (_request, reply) => {
    const manifest = await assets.manifest();
    secure(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    if (manifest === undefined) return reply.status(503).send(renderNotBuilt(assets.dir));
    return reply.send(renderShell(manifest, WEFT_VERSION));
  });
  app.get(DASHBOARD_PATH.slice(0, -1), (_request, reply) => reply.redirect(DASHBOARD_PATH));
  if (!app.hasRoute({ method: 'GET', url: '/' })) {
    app.get('/', (_request, reply) => reply.redirect(DASHBOARD_PATH));
  }

  app.get<{ Params: { file: string } }>(`${DASHBOARD_PATH}assets/:file`, async (request, reply) => {
    const { file } = request.params;
    const bytes = await assets.file(file);
    secure(reply);
    if (bytes === undefined) {
      return reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .send(`no dashboard asset ${file} (a page from an older build? reload it)`);
    }
    const extension = /\.[a-z]+$/.exec(file)?.[0] ?? '';
    return reply
      .type(TYPES[extension] ?? 'application/octet-stream')
      .header('cache-control', `public, max-age=${YEAR_S}, immutable`)
      .send(bytes);
  });
}
