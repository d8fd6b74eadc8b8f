#!/usr/bin/env node
/* global fetch, setTimeout */
// The whole GitOps loop on the bundled example, narrated: a fresh Git repo with the penguins
// pipeline and deploy/penguins.yaml, `weft up` watching it, live traffic with feedback, then
// commits: a change rolled out by canary and promoted, a manual change to the server healed,
// a worse model caught by its canary analysis and rolled back with the revert proposed in
// Git, the audit log verified, and a token printed to sign in to the dashboard with.
// Usage: npm run demo [-- TARGET_DIR]
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const project = resolve(fileURLToPath(import.meta.url), '../..');
const target = resolve(process.argv[2] ?? join(project, 'example-run', 'demo'));
const weft = join(project, 'dist', 'cli', 'main.js');
const SECRET = 'demo webhook secret';
const started = Date.now();
const say = (text) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${text}`);
const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=Demo User', '-c', 'user.email=demo@weft.dev', ...args], {
    cwd: target,
    encoding: 'utf8',
  });

const deployment = (version) => `apiVersion: weft.dev/v1
kind: ModelDeployment
metadata: { name: penguins }
spec:
  model: { name: penguins, version: ${version} }
  strategy: { type: canary, canary: { steps: [25, 50, 100], interval: 3s, maxFailedChecks: 1 } }
  analysis: { minRequests: 10, minOnlineAccuracy: 0.97, maxErrorRate: 0.01, maxP99LatencyRatio: null, maxPredictionDrift: null, maxInputDrift: null }
  selfHeal: true
`;

rmSync(target, { recursive: true, force: true });
cpSync(join(project, 'examples', 'penguins'), target, {
  recursive: true,
  filter: (path) => !/[/\\](node_modules|\.weft)$/.test(path),
});
symlinkSync(join(project, 'node_modules'), join(target, 'node_modules'), 'dir');
// Offline gates here are absolute (the comparison with production is `npm run example`'s
// story): a model can pass them and still fail its canary on live feedback, as step 4 shows.
const spec = join(target, 'weft.yaml');
writeFileSync(
  spec,
  readFileSync(spec, 'utf8').replace(/^ {4}- \{ metric: [a-z_]+, noWorseThan: .*\n/gm, ''),
);
mkdirSync(join(target, 'deploy'));
writeFileSync(join(target, 'deploy', 'penguins.yaml'), deployment(1));
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'penguins pipeline, deployed by canary');
say(`Git repository at ${target}; starting weft up`);

const up = spawn(process.execPath, [weft, 'up', '--port', '0', '--interval', '5s'], {
  cwd: target,
  env: { ...process.env, WEFT_WEBHOOK_SECRET: SECRET, NO_COLOR: '1' },
});
let output = '';
const onOutput = (chunk) => {
  output += chunk;
  for (const line of chunk.toString().split('\n'))
    if (line.trim()) say(`  weft up | ${line.replace(/^\[\s*[\d.]+m?s\] /, '')}`);
};
up.stdout.on('data', onOutput);
up.stderr.on('data', onOutput);
const waitFor = async (pattern, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output)) {
    if (Date.now() > deadline) throw new Error(`demo: timed out waiting for ${pattern}`);
    if (up.exitCode !== null) throw new Error(`demo: weft up exited with ${up.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

try {
  await waitFor(/serving at (http:\/\/127\.0\.0\.1:\d+)/);
  const base = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)[1];
  const push = async (message, edit) => {
    edit();
    git('commit', '-q', '-am', message);
    say(`commit: ${message}`);
    const body = '{}';
    const signature = createHmac('sha256', SECRET).update(body).digest('hex');
    await fetch(`${base}/hooks/generic`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-weft-signature': `sha256=${signature}` },
    });
  };
  const params = join(target, 'params.yaml');
  const edit = (version, from, to) => () => {
    writeFileSync(params, readFileSync(params, 'utf8').replace(from, to));
    writeFileSync(join(target, 'deploy', 'penguins.yaml'), deployment(version));
  };

  await waitFor(/Applied: ModelDeployment\/penguins: serving penguins@1/);
  const traffic = startTraffic(base);
  say('step 1: the first model is trained, validated and served; traffic with feedback flows');

  await push('more epochs, deploy penguins@2', edit(2, 'epochs: 300', 'epochs: 400'));
  await waitFor(/Promoted: ModelDeployment\/penguins: canary penguins@2 promoted/);
  say(
    'step 2: penguins@2 rolled out 25% -> 50% -> 100% after each analysis passed, and was promoted',
  );

  await post(`${base}/v2/repository/models/penguins/load`, { parameters: { version: '1' } });
  await post(`${base}/v2/models/penguins/traffic`, { weights: { 1: 1 } }, 'PUT');
  say('step 3: someone moves all traffic back to penguins@1 by hand');
  await waitFor(/DriftHealed: ModelDeployment\/penguins/);
  say('step 3: within one 5 s interval the controller saw it and restored what Git declares');

  await push('a much smaller learning rate, deploy penguins@3', edit(3, 'lr: 0.1 ', 'lr: 0.002 '));
  await waitFor(/RolledBack: ModelDeployment\/penguins/);
  await waitFor(/RevertProposed: ModelDeployment\/penguins/);
  say(
    'step 4: penguins@3 answered worse than the feedback allows; rolled back, revert branch pushed:',
  );
  say(`        ${git('branch', '--list', 'weft/revert-*').trim()}`);

  await traffic.stop();
  up.kill('SIGTERM');
  await new Promise((r) => up.once('exit', r));
  say(
    execFileSync(process.execPath, [weft, 'audit', 'verify'], {
      cwd: target,
      encoding: 'utf8',
    }).trim(),
  );
  say(`traffic: ${traffic.answered} requests answered, ${traffic.failed} failed`);
  if (traffic.failed > 0) process.exitCode = 1;
  const token = execFileSync(
    process.execPath,
    [weft, 'token', 'create', 'demo-viewer', '--scope', 'read'],
    { cwd: target, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  ).trim();
  say('see it all in the dashboard (the rollback, the failing check and its numbers, lineage):');
  say(`        cd ${target} && node ${weft} dashboard --port 8080`);
  say(`        open http://127.0.0.1:8080/ui/ and sign in with ${token}`);
} catch (error) {
  up.kill('SIGKILL');
  throw error;
}

async function post(url, body, method = 'POST') {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`demo: ${method} ${url} answered ${response.status}`);
}

/** Rows of the held-out set sent in a loop, each answered request followed by its true label. */
function startTraffic(base) {
  // The pipeline's held-out rows, from the controller's build of the first revision.
  const evalCsv = join(target, '.weft', 'controller', 'build', 'main', 'data', 'eval.csv');
  const [header, ...lines] = readFileSync(evalCsv, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return { features: cells.slice(0, 7).map(Number), species: cells[columns.indexOf('species')] };
  });
  const state = { answered: 0, failed: 0, stopped: false, stop: () => undefined };
  let i = 0;
  const loop = async () => {
    while (!state.stopped) {
      const row = rows[i++ % rows.length];
      const id = `demo-${i}`;
      try {
        const response = await fetch(`${base}/v2/models/penguins/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id,
            inputs: [{ name: 'features', shape: [1, 7], datatype: 'FP32', data: row.features }],
          }),
        });
        if (response.ok) state.answered++;
        else state.failed++;
        await response.arrayBuffer();
        await fetch(`${base}/v2/models/penguins/feedback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id, label: row.species }),
        }).then((r) => r.arrayBuffer());
      } catch {
        state.failed++;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const loops = Array.from({ length: 4 }, () => loop());
  // Stopping waits for the requests in flight, so none is cut off by weft up shutting down.
  state.stop = async () => {
    state.stopped = true;
    await Promise.all(loops);
  };
  return state;
}
