#!/usr/bin/env node
/* global performance, setTimeout */
// weft's controller at scale (issue 5): one revision declaring N ModelDeployments (default
// 1,000), each serving its own registered model, reconciled by `weft up` from an empty server
// until every one is Applied. The baseline, measured in the same run, is the same controller
// reconciling one deployment: the fixed cost of a pass, against which each further one is small.
//
//   npm run bench:controller-scale    # WEFT_BENCH_DEPLOYMENTS=1000
// Runs under tsx: the registry is filled through weft's own store API, not N pipeline runs.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/app/config.js';
import { openMetadataStore } from '../src/registry/index.js';
import { openObjectStore } from '../src/store/index.js';
import { createBenchGit, deploymentYaml, WEFT_CLI } from '../scripts/lib/example-repo.mjs';
import {
  createRow,
  formatBytes,
  formatSeconds,
  formatTable,
  summarizeVerdicts,
} from './lib/report.mjs';
import { readIntEnv } from './lib/run-env.mjs';
import { encodeSmallModel, SMALL_CLASSES, SMALL_FEATURES } from './lib/serve-models.mjs';

const count = readIntEnv('WEFT_BENCH_DEPLOYMENTS', 1000);
const TARGET_S = 10;
const scratch = mkdtempSync(join(tmpdir(), 'weft-bench-scale-'));

/** A repo whose one revision declares `n` deployments, with version 1 of each model registered. */
async function createWorkspace(n) {
  const repo = join(scratch, `repo-${n}`);
  mkdirSync(join(repo, 'deploy'), { recursive: true });
  writeFileSync(join(repo, '.gitignore'), '.weft/\n');
  const names = Array.from({ length: n }, (_, i) => `m${String(i).padStart(4, '0')}`);
  for (const name of names)
    writeFileSync(join(repo, 'deploy', `${name}.yaml`), deploymentYaml(name, 1));
  const git = createBenchGit(repo);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', `${n} deployments`);
  const config = resolveConfig(repo, {});
  const store = await openObjectStore(config.storeDir);
  const metadata = await openMetadataStore(config.metadata);
  const run = await metadata.createRun({
    pipeline: 'bench-scale',
    targets: [],
    commit: null,
    dirty: false,
    branch: 'main',
    author: 'bench',
    startedAt: new Date(),
  });
  const signature = {
    inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, SMALL_FEATURES] }],
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, SMALL_CLASSES] }],
  };
  for (const [i, name] of names.entries()) {
    const bytes = encodeSmallModel(i + 1);
    const { digest } = await store.putBytes(bytes);
    await metadata.registerModelVersion({
      name,
      digest,
      size: bytes.length,
      artifactPath: 'model.onnx',
      signature,
      metrics: [],
      params: {},
      commit: null,
      dataDigests: [],
      runId: run.id,
      stage: 'bench',
      createdAt: new Date(),
    });
  }
  await metadata.close();
  return repo;
}

/** `weft up` on the repo until `n` deployments are Applied: seconds from its first pass, and RSS. */
async function reconcile(repo, n) {
  const up = spawn(process.execPath, [WEFT_CLI, 'up', '--port', '0', '--interval', '1h'], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  let applied = 0;
  let startedAt = 0;
  return new Promise((resolvePromise, reject) => {
    const fail = (message) => {
      up.kill('SIGKILL');
      reject(new Error(`${message}\n${output.slice(-2000)}`));
    };
    up.stderr.on('data', (chunk) => (output += chunk));
    up.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      output += text;
      if (!startedAt && output.includes('weft up: serving at')) startedAt = performance.now();
      applied += text.split('Applied: ModelDeployment/').length - 1;
      if (applied < n) return;
      const seconds = (performance.now() - startedAt) / 1000;
      const rss =
        Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${up.pid}/status`, 'utf8'))?.[1]) *
        1024;
      up.kill('SIGTERM');
      up.once('exit', () => resolvePromise({ seconds, rss }));
    });
    up.once(
      'exit',
      (code) => applied < n && fail(`weft up exited ${code} after ${applied} of ${n}`),
    );
    setTimeout(() => fail(`timed out with ${applied} of ${n} applied`), 600_000).unref();
  });
}

try {
  console.log(`registering ${count} models and writing ${count} deploy/*.yaml ...`);
  const single = await createWorkspace(1);
  const many = await createWorkspace(count);
  const one = await reconcile(single, 1);
  const all = await reconcile(many, count);
  // A pass has a fixed cost (fetch, checkout, reading deploy/) that one deployment shows alone.
  const marginal = (all.seconds - one.seconds) / (count - 1);
  const rows = [
    createRow(`reconcile ${count} ModelDeployments at one revision (empty server to all Applied)`, {
      value: formatSeconds(all.seconds),
      baseline: `1 deployment: ${formatSeconds(one.seconds)}`,
      ratio: all.seconds / one.seconds,
      target: `<= ${TARGET_S} s`,
      passes: all.seconds <= TARGET_S,
    }),
    createRow('each further deployment (marginal)', {
      value: `${(marginal * 1000).toFixed(1)} ms`,
      baseline: `1 deployment: ${(one.seconds * 1000).toFixed(0)} ms`,
      ratio: marginal / one.seconds,
      target: '-',
      passes: true,
    }),
    createRow(`weft up memory with ${count} models loaded`, {
      value: formatBytes(all.rss),
      baseline: `1 model: ${formatBytes(one.rss)}`,
      ratio: all.rss / one.rss,
      target: '-',
      passes: true,
    }),
  ];
  console.log(formatTable(rows));
  console.log(summarizeVerdicts(rows));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
