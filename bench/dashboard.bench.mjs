#!/usr/bin/env node
/* global document, performance */
// weft's dashboard benchmark (issue 6): with 10,000 runs, 1,000 model versions and 200
// deployments in a SQLite store, each main page's time to its first meaningful render in
// headless Chromium: from navigation start to the moment the page marks itself
// `data-ready="true"` (its first data is in the DOM), over WEFT_BENCH_LOADS full page loads
// each (a new document every time, assets from the browser cache as a returning user has them;
// the first load of the overview in a fresh context, cold, is reported apart). Baseline measured
// in the same run: a static page on the same server with the same stylesheet and no script or
// data (what the browser and HTTP alone cost); the app on a page that reads no data is listed
// too. Target: every page under 1 s.
//
//   npm run bench:dashboard    # builds first (the dashboard's assets); WEFT_BENCH_LOADS, WEFT_BENCH_RUNS
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { startFilledApi } from './lib/api-store.mjs';
import { percentiles } from './lib/measure.mjs';
import { createRow, formatTable, summarizeVerdicts } from './lib/report.mjs';
import { createProgress, loadAverage, readIntEnv } from './lib/run-env.mjs';

const RUNS = readIntEnv('WEFT_BENCH_RUNS', 10_000);
const LOADS = readIntEnv('WEFT_BENCH_LOADS', 15);
const TARGET_MS = 1000;
const progress = createProgress();

register();
const src = (path) => new URL(`../src/${path}`, import.meta.url).href;
const { registerDashboardRoutes, DASHBOARD_PATH } = await import(src('dashboard/index.ts'));
const { launchChromium } = await import(new URL('../test/utils/chromium.ts', import.meta.url).href);

const manifestPath = new URL('../dist/dashboard/manifest.json', import.meta.url);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const assetBytes = (name) =>
  readFileSync(new URL(`../dist/dashboard/assets/${name}`, import.meta.url)).length;

const PAGES = [
  // No data: the app's script, its session check and a render; what every page costs at least.
  ['app shell, no data (an unknown page)', '#/no-such-page'],
  ['overview', '#/'],
  ['deployment (a canary in progress)', '#/deployments/deploy-0000'],
  ['runs', '#/runs'],
  ['run', '#/runs/5000'],
  ['compare two runs', '#/compare?runs=9000,9001'],
  ['models', '#/models'],
  ['model versions', '#/models/model-3'],
  ['model version', '#/models/model-3/100'],
  ['audit log', '#/audit'],
];

/** Notes when the page first says its data is shown, before any test code runs in it. */
function watchReady() {
  const check = () => {
    const ready = document.querySelector('[data-page][data-ready="true"]');
    if (ready && globalThis.weftReadyAt === undefined) {
      globalThis.weftReadyAt = performance.now();
      globalThis.weftReadyPage = ready.getAttribute('data-page');
    }
  };
  new globalThis.MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-ready'],
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'weft-bench-dashboard-'));
const closers = [];
try {
  const filled = await startFilledApi({ scratch, runs: RUNS, scope: 'read', progress, src });
  closers.push(() => filled.close());
  const { app, secret } = filled;
  registerDashboardRoutes(app);
  // The baseline: the same server and stylesheet, no script, no data.
  app.get('/bench/static.html', (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html><head><link rel="stylesheet" href="${DASHBOARD_PATH}assets/${manifest.css}"></head><body><main data-page="static" data-ready="true"><h1>Static</h1></main></body></html>`,
      ),
  );
  const base = await app.listen({ host: '127.0.0.1', port: 0 });

  const browser = await launchChromium();
  closers.push(() => browser.close());

  /** ms from navigation start to data-ready, for one full load of `url`. */
  const loadOnce = async (page, url) => {
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForFunction(() => globalThis.weftReadyAt !== undefined, null, {
      timeout: 30_000,
    });
    const { at, name } = await page.evaluate(() => ({
      at: globalThis.weftReadyAt,
      name: globalThis.weftReadyPage,
    }));
    if (name === 'sign-in') throw new Error(`${url}: the page asked to sign in`);
    return at;
  };
  const newSignedInPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(watchReady);
    const page = await context.newPage();
    const response = await page.request.post(`${base}/api/v1/session`, { data: { token: secret } });
    if (response.status() !== 200) throw new Error(`sign-in: ${response.status()}`);
    return page;
  };

  const cold = [];
  for (let i = 0; i < 5; i++) {
    const page = await newSignedInPage();
    cold.push(await loadOnce(page, `${base}${DASHBOARD_PATH}#/`));
    await page.context().close();
  }
  const page = await newSignedInPage();
  const measure = async (url) => {
    await loadOnce(page, url); // warm: the server's caches and the browser's
    const failure = await page.$('[role=alert]');
    if (failure) throw new Error(`${url}: the page shows an error: ${await failure.textContent()}`);
    const times = [];
    for (let i = 0; i < LOADS; i++) times.push(await loadOnce(page, url));
    return percentiles(times);
  };
  const baseline = await measure(`${base}/bench/static.html`);
  progress(
    `baseline static page: p50 ${baseline.p50.toFixed(0)} ms, p95 ${baseline.p95.toFixed(0)} ms`,
  );

  const rows = [];
  const addRow = (name, { p50, p95 }) => {
    progress(`${name}: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`);
    rows.push(
      createRow(name, {
        value: `p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
        baseline: `static page p95 ${baseline.p95.toFixed(0)} ms`,
        ratio: p95 / baseline.p95,
        target: `p95 < ${TARGET_MS} ms`,
        passes: p95 < TARGET_MS,
      }),
    );
  };
  addRow('overview, cold (new browser context, 5 loads)', percentiles(cold));
  for (const [name, hash] of PAGES) addRow(name, await measure(`${base}${DASHBOARD_PATH}${hash}`));

  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `\nload average: ${loadAverage()}; ${LOADS} full loads per page after one warm-up; ` +
      `assets: ${manifest.js} ${kib(assetBytes(manifest.js))}, ${manifest.css} ${kib(assetBytes(manifest.css))} (minified, uncompressed)\n`,
  );
  console.log(formatTable(rows));
  console.log(`\n${summarizeVerdicts(rows)}`);
} finally {
  for (const close of closers.reverse()) await close();
  rmSync(scratch, { recursive: true, force: true });
}
