#!/usr/bin/env node
/* global fetch, setTimeout, performance */
// weft's controller benchmark (issue 5): push-to-serving latency with a webhook for the replace
// strategy (training excluded: measured from the "Built" event), and how long a manual change
// to the live server takes to be detected and healed, against the poll interval. Baselines are
// the anchors' defaults (Flux polls every 1 min, Argo CD every 3 min) and the interval itself.
//
//   npm run bench:controller        # WEFT_BENCH_REPEATS pushes and drifts (default 5)
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyExample,
  createBenchGit,
  deploymentYaml,
  WEFT_CLI,
} from '../scripts/lib/example-repo.mjs';
import { createRow, formatTable, summarizeVerdicts } from './lib/report.mjs';
import { readIntEnv } from './lib/run-env.mjs';

const repeats = readIntEnv('WEFT_BENCH_REPEATS', 5);
const INTERVAL_S = 2;
const SECRET = 'bench';
const scratch = mkdtempSync(join(tmpdir(), 'weft-bench-controller-'));
const repo = join(scratch, 'repo');
const git = createBenchGit(repo);
const deployment = (version) => deploymentYaml('penguins', version);

copyExample(repo);
mkdirSync(join(repo, 'deploy'));
writeFileSync(join(repo, 'deploy', 'penguins.yaml'), deployment(1));
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'bench');

const up = spawn(
  process.execPath,
  [WEFT_CLI, 'up', '--port', '0', '--interval', `${INTERVAL_S}s`],
  {
    cwd: repo,
    env: { ...process.env, WEFT_WEBHOOK_SECRET: SECRET, NO_COLOR: '1' },
  },
);
const seen = [];
let buffered = '';
up.stdout.on('data', (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) seen.push({ at: performance.now(), line });
});
const waitFor = async (pattern, after = 0, timeoutMs = 60_000) => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const hit = seen.find((s) => s.at >= after && pattern.test(s.line));
    if (hit) return hit;
    if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${pattern}`);
    if (up.exitCode !== null) throw new Error('bench: weft up exited');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  const base = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec((await waitFor(/serving at/)).line)[1];
  await waitFor(/Applied: ModelDeployment\/penguins: serving penguins@1/);
  const pushes = [];
  const drifts = [];
  for (let i = 0; i < repeats; i++) {
    const version = i + 2;
    const params = join(repo, 'params.yaml');
    writeFileSync(
      params,
      readFileSync(params, 'utf8').replace(/epochs: \d+/, `epochs: ${300 + version}`),
    );
    writeFileSync(join(repo, 'deploy', 'penguins.yaml'), deployment(version));
    git('commit', '-q', '-am', `deploy ${version}`);
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const sent = performance.now();
    await fetch(`${base}/hooks/generic`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-weft-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        'x-weft-delivery': `push-${i}`,
      },
    });
    const built = await waitFor(new RegExp(`built penguins@${version} `), sent);
    const applied = await waitFor(
      new RegExp(`Applied: ModelDeployment/penguins: serving penguins@${version}`),
      sent,
    );
    pushes.push({
      total: applied.at - sent,
      training: built.at - sent,
      serving: applied.at - built.at,
    });

    await fetch(`${base}/v2/repository/models/penguins/load`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: { version: '1' } }),
    });
    const changed = performance.now();
    await fetch(`${base}/v2/models/penguins/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ weights: { 1: 1 } }),
    });
    const healed = await waitFor(
      /DriftHealed: ModelDeployment\/penguins/,
      changed,
      INTERVAL_S * 3000,
    );
    drifts.push(healed.at - changed);
  }
  const push = median(pushes.map((p) => p.serving)) / 1000;
  const total = median(pushes.map((p) => p.total)) / 1000;
  const drift = median(drifts) / 1000;
  const rows = [
    createRow('push to serving with a webhook, replace, training excluded (median)', {
      value: `${push.toFixed(3)} s (with training ${total.toFixed(2)} s)`,
      baseline: 'Flux default poll, 60 s',
      ratio: push / 60,
      target: '<= 2 s',
      passes: push <= 2,
    }),
    createRow('manual change to live state detected and healed (median)', {
      value: `${drift.toFixed(2)} s`,
      baseline: `poll interval, ${INTERVAL_S} s`,
      ratio: drift / INTERVAL_S,
      target: '<= one interval',
      passes: Math.max(...drifts) / 1000 <= INTERVAL_S * 1.1,
    }),
  ];
  console.log(
    `weft controller benchmark: ${repeats} pushes and ${repeats} manual changes on the penguins example, weft up --interval ${INTERVAL_S}s`,
  );
  console.log(
    `pushes (ms): ${pushes.map((p) => `${p.serving.toFixed(0)} after build (${p.total.toFixed(0)} total)`).join(', ')}`,
  );
  console.log(`drift healed after (ms): ${drifts.map((d) => d.toFixed(0)).join(', ')}`);
  console.log(formatTable(rows));
  console.log(summarizeVerdicts(rows));
} finally {
  up.kill('SIGTERM');
  await new Promise((r) => up.once('exit', r));
  rmSync(scratch, { recursive: true, force: true });
}
