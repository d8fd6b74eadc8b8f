import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './shell.js';
import { DASHBOARD_PATH, registerDashboardRoutes } from './routes.js';

const MANIFEST = {
  js: 'app-ABC123.js',
  css: 'app-DEF456.css',
  files: ['app-ABC123.js', 'app-DEF456.css'],
};

describe('dashboard routes', () => {
  let dir: string;
  let app: FastifyInstance;

  const writeBuild = async (): Promise<void> => {
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(MANIFEST));
    await writeFile(join(dir, 'assets', 'app-ABC123.js'), 'console.log("app")');
    await writeFile(join(dir, 'assets', 'app-DEF456.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'not an asset');
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-dashboard-'));
    app = Fastify();
    registerDashboardRoutes(app, { assetsDir: dir });
  });

  afterEach(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the shell under a strict CSP, loading the hashed assets by relative URL', async () => {
    await writeBuild();
    const response = await app.inject({ url: DASHBOARD_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'; style-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.body).toContain('<script type="module" src="assets/app-ABC123.js"></script>');
    expect(response.body).toContain('<link rel="stylesheet" href="assets/app-DEF456.css">');
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.body).not.toMatch(/ style=/);
  });

  it('serves listed assets for a year, immutable, with their type', async () => {
    await writeBuild();
    const js = await app.inject({ url: `${DASHBOARD_PATH}assets/app-ABC123.js` });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log("app")');
    const css = await app.inject({ url: `${DASHBOARD_PATH}assets/app-DEF456.css` });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for any file the manifest does not list, paths included', async () => {
    await writeBuild();
    for (const name of ['app-OLD.js', '..%2Fsecret.txt', '..%2Fmanifest.json', 'secret.txt']) {
      const response = await app.inject({ url: `${DASHBOARD_PATH}assets/${name}` });
      expect(response.statusCode, name).toBe(404);
      expect(response.body).not.toContain('not an asset');
    }
  });

  it('answers 503 with how to build it until the assets are built, then serves them', async () => {
    const before = await app.inject({ url: DASHBOARD_PATH });
    expect(before.statusCode).toBe(503);
    expect(before.body).toContain('The weft dashboard is not built');
    expect(before.body).toContain('node scripts/build.mjs');
    expect(before.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await writeBuild();
    expect((await app.inject({ url: DASHBOARD_PATH })).statusCode).toBe(200);
  });

  it('redirects / and /ui to the dashboard, leaving / alone when another route has it', async () => {
    expect((await app.inject({ url: '/' })).headers.location).toBe(DASHBOARD_PATH);
    expect((await app.inject({ url: '/ui' })).headers.location).toBe(DASHBOARD_PATH);
    const other = Fastify();
    other.get('/', () => 'mine');
    registerDashboardRoutes(other, { assetsDir: dir });
    expect((await other.inject({ url: '/' })).body).toBe('mine');
    await other.close();
  });
});
