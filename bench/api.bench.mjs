#!/usr/bin/env node
/* global fetch */
// weft's control-plane API benchmark (issue 6): with 10,000 runs, 1,000 model versions and 200
// deployments in a SQLite store, every list call's p50/p95 (first page, and a page deep in the
// list through its cursor) over WEFT_BENCH_REQUESTS sequential requests, next to a bare
// node:http server answering a page of the same size from memory, measured in the same run.
// Target: p95 under 100 ms for every list. Runs the API from src/ through tsx: no build needed.
//
//   npm run bench:api      # WEFT_BENCH_RUNS, WEFT_BENCH_REQUESTS adjust it
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';
import { startFilledApi } from './lib/api-store.mjs';
import { percentiles } from './lib/measure.mjs';
import { createRow, formatTable, summarizeVerdicts } from './lib/report.mjs';
import { createProgress, loadAverage, readIntEnv } from './lib/run-env.mjs';

const RUNS = readIntEnv('WEFT_BENCH_RUNS', 10_000);
const REQUESTS = readIntEnv('WEFT_BENCH_REQUESTS', 200);
const TARGET_MS = 100;
const progress = createProgress();

register();
const src = (path) => new URL(`../src/${path}`, import.meta.url).href;
const scratch = mkdtempSync(join(tmpdir(), 'weft-bench-api-'));
const servers = [];
try {
  const filled = await startFilledApi({ scratch, runs: RUNS, scope: 'admin', progress, src });
  servers.push(() => filled.close());
  const { app, secret } = filled;
  const api = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
  const headers = { authorization: `Bearer ${secret}` };
  const getJson = async (url) => {
    const response = await fetch(url, { headers });
    if (response.status !== 200)
      throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  // The floor: node:http answering the first page of runs, serialized once, from memory.
  const runsPage = JSON.stringify(await getJson(`${api}/runs`));
  const bare = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(runsPage);
  });
  await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
  servers.push(() => new Promise((resolve) => bare.close(resolve)));
  const bareUrl = `http://127.0.0.1:${bare.address().port}/`;

  const lists = [
    '/runs',
    '/runs?status=failed',
    '/runs?branch=dev&pipeline=penguins',
    '/metrics/test.accuracy/history',
    '/models',
    '/models/model-3/versions',
    '/models/model-3/versions/100/checks',
    '/models/model-3/alias-history',
    '/deployments',
    '/deployments?ready=False',
    '/audit',
    '/audit?actor=ci-bot',
    '/events',
    '/tokens',
  ];
  const measure = async (url) => {
    const times = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    }
    return percentiles(times);
  };
  /** A cursor halfway down the list, reached by walking it in pages of 500. */
  const deepCursor = async (path) => {
    const separator = path.includes('?') ? '&' : '?';
    let cursor = null;
    for (let page = 0; page < 10; page++) {
      const url = `${api}${path}${separator}limit=500${cursor ? `&cursor=${cursor}` : ''}`;
      const next = (await getJson(url)).nextCursor;
      if (next === null) break;
      cursor = next;
    }
    return cursor;
  };

  for (let i = 0; i < 50; i++) await fetch(`${api}/runs`, { headers }).then((r) => r.arrayBuffer());
  const baseline = await measure(bareUrl);
  progress(
    `baseline node:http: p50 ${baseline.p50.toFixed(2)} ms, p95 ${baseline.p95.toFixed(2)} ms`,
  );
  const rows = [];
  for (const path of lists) {
    const pages = [['first page', `${api}${path}`]];
    const cursor = await deepCursor(path);
    if (cursor)
      pages.push(['deep page', `${api}${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}`]);
    for (const [which, url] of pages) {
      const { p50, p95 } = await measure(url);
      progress(`${path} (${which}): p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
      rows.push(
        createRow(`GET /api/v1${path} (${which})`, {
          value: `p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
          baseline: `node:http p95 ${baseline.p95.toFixed(2)} ms`,
          ratio: p95 / baseline.p95,
          target: `p95 < ${TARGET_MS} ms`,
          passes: p95 < TARGET_MS,
        }),
      );
    }
  }
  console.log(
    `\nload average: ${loadAverage()}; ${REQUESTS} sequential requests per row, 50 items a page\n`,
  );
  console.log(formatTable(rows));
  console.log(`\n${summarizeVerdicts(rows)}`);
} finally {
  for (const close of servers.reverse()) await close();
  rmSync(scratch, { recursive: true, force: true });
}
