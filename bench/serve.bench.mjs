#!/usr/bin/env node
// weft's serving benchmark (issue 4), through the built CLI (`weft serve` as a child process)
// and autocannon on loopback, with baselines measured in the same run:
//   (a) single-row OIP infer on a small logistic regression at 32 connections, against a bare
//       node:http server that parses the same JSON (bench/lib/echo-server.mjs); beside it, not
//       judged, the same server running the model in ONNX Runtime, and weft with batching;
//   (b) single rows of an MLP whose one-row inference costs about a millisecond, at 64
//       connections, dynamic batching on (a few settings; the best counts) against off;
//   (c) requests failed while versions are swapped 100 times under load: in-process with
//       traffic moved to each new version, and over HTTP through `weft serve`'s repository
//       extension, which can only replace a serving version in place;
//   and the memory one more loaded version of the small model costs, against bare sessions: in
//   `weft serve`, and with 200 versions in the shared ONNX worker pool (in-process, from src/).
//
//   npm run bench:serve
//   WEFT_BENCH_SECONDS=3 npm run bench:serve    # a quick run
//
// Env: WEFT_BENCH_SECONDS (per load measurement, default 10), WEFT_BENCH_ROUNDS (alternated
// echo/weft measurements in (a), 2), WEFT_BENCH_SWAPS (100), WEFT_BENCH_VERSIONS (versions
// loaded for the memory figure, 20), WEFT_BENCH_POOL_VERSIONS (versions loaded into the shared
// ONNX worker pool, 200), WEFT_BENCH_PROFILE=1 (a CPU profile of `weft serve` under (a)'s load),
// WEFT_BENCH_KEEP=1 (keep the temp dir).
// Exit code 0 even when a target is missed: this is a report; a broken weft exits 1.
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress, loadAverage, readIntEnv } from './lib/run-env.mjs';
import { createWeft, timeCommand } from './lib/measure.mjs';
import { profileServe } from './lib/profile-serve.mjs';
import { MLP_LAYERS, mlpParameterCount } from './lib/serve-models.mjs';
import { buildServeRows, printServeReport } from './lib/serve-report.mjs';
import { measureBatching, measureServingOverhead } from './lib/serve-throughput.mjs';
import {
  measurePoolMemory,
  measureVersionMemory,
  swapInProcess,
  swapOverHttp,
} from './lib/serve-versions.mjs';
import { createRegistryRepo, writeModels } from './lib/serve-workspace.mjs';
import { runInScratch } from './lib/workspace.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const project = resolve(here, '..');
/** What (b) tries; the example first. */
const BATCH_SETTINGS = [
  { size: 64, latencyMs: 2 },
  { size: 32, latencyMs: 1 },
];

function readConfig() {
  return {
    seconds: readIntEnv('WEFT_BENCH_SECONDS', 10),
    rounds: readIntEnv('WEFT_BENCH_ROUNDS', 2),
    swaps: readIntEnv('WEFT_BENCH_SWAPS', 100),
    versions: readIntEnv('WEFT_BENCH_VERSIONS', 20),
    poolVersions: readIntEnv('WEFT_BENCH_POOL_VERSIONS', 200),
    profile: process.env.WEFT_BENCH_PROFILE === '1',
    keep: process.env.WEFT_BENCH_KEEP === '1',
  };
}

const progress = createProgress();
const load = loadAverage;

/** What one MLP row costs in bare ONNX Runtime, so (b) is known to test what it says. */
function measureMlpCost(models) {
  const script = join(here, 'lib', 'bare-ort-single-row.mjs');
  const args = [script, models.mlp, String(MLP_LAYERS[0]), '64'];
  return JSON.parse(timeCommand(process.execPath, args).stdout);
}

async function runBench(scratch, weftHome, config) {
  const weft = createWeft(weftHome.cli);
  const context = { cli: weftHome.cli, here, scratch, config, progress };
  const models = writeModels(scratch, Math.max(config.versions, config.poolVersions) + 1);
  const repo = join(scratch, 'registry');
  createRegistryRepo(repo, weft, models.small.slice(0, config.versions + 1));
  progress(`${config.versions + 1} small models registered in ${repo}; load average ${load()}`);
  const mlpCost = measureMlpCost(models);
  progress(
    `MLP ${MLP_LAYERS.join(' -> ')} (${mlpParameterCount().toLocaleString('en-US')} parameters), bare ORT: ` +
      `${mlpCost.singleRowMs.toFixed(3)} ms per single-row run, ${mlpCost.batchMs.toFixed(2)} ms per 64-row run`,
  );
  const overhead = await measureServingOverhead({ ...context, models });
  const batching = await measureBatching({ ...context, models, settings: BATCH_SETTINGS });
  const inProcess = await swapInProcess({ here, scratch, models, swaps: config.swaps });
  progress(`(c) ${config.swaps} in-process swaps in ${inProcess.swapSeconds.toFixed(2)} s`);
  const overHttp = await swapOverHttp({ cli: weftHome.cli, repo, swaps: config.swaps });
  progress(`(c) ${config.swaps} reloads over HTTP in ${overHttp.swapSeconds.toFixed(2)} s`);
  const memory = await measureVersionMemory({ ...context, repo, models, count: config.versions });
  const workers = availableParallelism();
  const poolMemory = measurePoolMemory({
    here,
    scratch,
    models,
    count: config.poolVersions,
    workers,
  });
  progress(
    `${config.poolVersions} versions in a pool of ${workers} ONNX workers; load average ${load()}`,
  );
  if (config.profile) await profileServe({ weftHome, scratch, models, config });
  progress(`done; load average ${load()}`);
  const swaps = { inProcess, overHttp };
  const results = { overhead, batching, swaps, memory, poolMemory, mlpCost };
  console.log(
    `\n${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average at end ${load()}`,
  );
  printServeReport(config, results, buildServeRows(config, results));
}

const config = readConfig();
runInScratch({ project, prefix: 'weft-bench-serve-', keep: config.keep }, (scratch, weft) =>
  runBench(scratch, weft, config),
);
