#!/usr/bin/env node
// weft's evaluation benchmark: `weft evaluate` of a logistic regression on 100,000 rows of 20
// features, with 2 sensitive attributes (bootstrap intervals of their gaps, 200 resamples) and
// permutation importance (5 repeats), i.e. 1 + 20 x 5 = 101 passes over the rows through ONNX
// Runtime. Beside it, in the same run and interleaved, a bare script pushes the same rows
// through the same model as many times in weft's batch size: the floor for the same inference.
//
//   npm run bench:evaluate                      # 100,000 rows
//   WEFT_BENCH_ROWS=20000 npm run bench:evaluate  # a quick run
//
// Env: WEFT_BENCH_ROWS (default 100000), WEFT_BENCH_REPEATS (measurements, 3),
// WEFT_BENCH_PROFILE=1 (a CPU profile of one `weft evaluate`: top functions by self and
// inclusive time), WEFT_BENCH_KEEP=1 (keep the temp repo).
// Exit code 0 even when a target is missed: this is a report; a broken weft exits 1.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress, loadAverage, readIntEnv } from './lib/run-env.mjs';
import { createEvalRepo } from './lib/eval-workspace.mjs';
import { createWeft, listSeconds, median, timeCommand } from './lib/measure.mjs';
import { profileCommands } from './lib/profile-commands.mjs';
import { createRow, formatSeconds, formatTable, summarizeVerdicts } from './lib/report.mjs';
import { runInScratch } from './lib/workspace.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const project = resolve(here, '..');
const FEATURES = 20;
const IMPORTANCE_REPEATS = 5;
const PASSES = 1 + FEATURES * IMPORTANCE_REPEATS;
/** weft's rows per ONNX Runtime call (src/evaluate/onnx-model.ts), so the calls match one to one. */
const BATCH_ROWS = 16_384;
/** The target: weft's own work (everything but ONNX Runtime) below 30% of wall time. */
const MAX_OWN_SHARE = 0.3;

function readConfig() {
  return {
    rows: readIntEnv('WEFT_BENCH_ROWS', 100_000),
    repeats: readIntEnv('WEFT_BENCH_REPEATS', 3),
    profile: process.env.WEFT_BENCH_PROFILE === '1',
    keep: process.env.WEFT_BENCH_KEEP === '1',
  };
}

const progress = createProgress();
const load = loadAverage;
const formatRows = (perSecond) => `${Math.round(perSecond).toLocaleString('en-US')} rows/s`;
const formatShare = (share) => `${(share * 100).toFixed(1)}%`;
const formatMs = (ms) => formatSeconds(ms / 1000);

/** Fails the bench when the evaluation is not the one asked for: timing a wrong run says nothing. */
function checkEvaluation(result, rows) {
  const problems = [];
  if (result.metrics?.rows !== rows) problems.push(`metrics.rows ${result.metrics?.rows}`);
  if (result.fairness?.length !== 2)
    problems.push(`${result.fairness?.length} fairness attributes`);
  if (result.importance?.repeats !== IMPORTANCE_REPEATS)
    problems.push(`importance repeats ${result.importance?.repeats}`);
  if (result.importance?.features.length !== FEATURES)
    problems.push(`${result.importance?.features.length} importance features`);
  if (!(result.metrics?.accuracy > 0.6)) problems.push(`accuracy ${result.metrics?.accuracy}`);
  if (!(result.timing?.inferenceMs > 0)) problems.push('no inference time');
  if (problems.length > 0)
    throw new Error(`weft evaluate returned an unexpected evaluation: ${problems.join(', ')}`);
}

function evaluateOnce(weft, repo, rows) {
  const { seconds, stdout } = weft(repo, 'evaluate', 'bench', '--force', '--json');
  const result = JSON.parse(stdout);
  checkEvaluation(result, rows);
  return { wallMs: seconds * 1000, ...result.timing };
}

function bareOnce(model, features) {
  const script = join(here, 'lib', 'bare-ort-inference.mjs');
  const args = [script, model, features, String(FEATURES), String(PASSES), String(BATCH_ROWS)];
  const { seconds, stdout } = timeCommand(process.execPath, args);
  return { wallMs: seconds * 1000, ...JSON.parse(stdout) };
}

/** node -e 0, the bare baseline and weft evaluate, interleaved so drifting load hits all alike. */
function measure(weft, repo, paths, repeats) {
  const runs = { node: [], bare: [], weft: [] };
  for (let rep = 1; rep <= repeats; rep += 1) {
    runs.node.push(timeCommand(process.execPath, ['-e', '0']).seconds * 1000);
    runs.bare.push(bareOnce(paths.model, paths.features));
    runs.weft.push(evaluateOnce(weft, repo, paths.rows));
    const [bare, ours] = [runs.bare.at(-1), runs.weft.at(-1)];
    progress(
      `${rep}/${repeats}: bare ORT ${formatMs(bare.wallMs)} wall (${formatMs(bare.inferenceMs)} in ORT), ` +
        `weft evaluate ${formatMs(ours.wallMs)} wall, totalMs ${formatMs(ours.totalMs)}, ${formatMs(ours.inferenceMs)} in ORT`,
    );
  }
  return runs;
}

/** Medians per field of a list of { wallMs, totalMs, inferenceMs }. */
const medians = (list) =>
  Object.fromEntries(Object.keys(list[0]).map((key) => [key, median(list.map((r) => r[key]))]));

function buildRows(rows, { bare, weft }) {
  const rowPasses = rows * PASSES;
  // weft's time outside ORT as a share of `total` (wallMs or totalMs), beside the bare script's.
  const ownShareRow = (name, total) => {
    const ownMs = (run) => run[total] - run.inferenceMs;
    const ownShare = (run) => 1 - run.inferenceMs / run[total];
    return createRow(name, {
      value: formatShare(ownShare(weft)),
      baseline: `${formatShare(ownShare(bare))} bare ORT`,
      ratio: ownMs(weft) / ownMs(bare),
      target: `< ${formatShare(MAX_OWN_SHARE)}`,
      passes: ownShare(weft) < MAX_OWN_SHARE,
    });
  };
  return [
    createRow(`throughput (${PASSES} passes x ${rows} rows / wall)`, {
      value: formatRows((rowPasses / weft.wallMs) * 1000),
      baseline: `${formatRows((rowPasses / bare.wallMs) * 1000)} bare ORT`,
      ratio: bare.wallMs / weft.wallMs,
      target: `ratio >= ${(1 - MAX_OWN_SHARE).toFixed(2)}`,
      passes: bare.wallMs / weft.wallMs >= 1 - MAX_OWN_SHARE,
    }),
    ownShareRow("weft's own share of wall (1 - ORT / wall)", 'wallMs'),
    ownShareRow("weft's own share of timing.totalMs (in-process)", 'totalMs'),
  ];
}

function printReport(config, runs, csvBytes) {
  const bare = medians(runs.bare);
  const weft = medians(runs.weft);
  const rows = buildRows(config.rows, { bare, weft });
  console.log(
    `\nweft evaluation benchmark: ${config.rows} rows x ${FEATURES} features (${(csvBytes / 1e6).toFixed(1)} MB CSV), ` +
      `sensitive [sex, region], importance ${IMPORTANCE_REPEATS} repeats: ${PASSES} passes in batches of ${BATCH_ROWS}`,
  );
  console.log(
    `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average at end ${load()}`,
  );
  console.log(`medians of ${config.repeats}:`);
  console.log(
    `  weft evaluate: wall ${formatMs(weft.wallMs)}, timing.totalMs ${formatMs(weft.totalMs)}, ` +
      `in ORT ${formatMs(weft.inferenceMs)}; outside timing.totalMs (start, spec, registry, hashing and reading the CSV) ${formatMs(weft.wallMs - weft.totalMs)}`,
  );
  console.log(
    `  bare ORT:      wall ${formatMs(bare.wallMs)}, from session creation ${formatMs(bare.totalMs)}, in ORT ${formatMs(bare.inferenceMs)}`,
  );
  console.log(`  node -e 0:     ${formatMs(median(runs.node))} (process start floor)`);
  console.log(
    `  ORT time, weft / bare: ${(weft.inferenceMs / bare.inferenceMs).toFixed(2)}x; wall, weft / bare: ${(weft.wallMs / bare.wallMs).toFixed(2)}x\n`,
  );
  console.log(formatTable(rows));
  console.log(
    "ratio: weft's throughput / bare ORT's; on the share rows, weft's ms outside ORT / the bare script's",
  );
  console.log(`\n${summarizeVerdicts(rows)}`);
}

async function runBench(scratch, weftHome, config) {
  const weft = createWeft(weftHome.cli);
  const repo = join(scratch, 'evaluate');
  progress(`generating ${config.rows} rows x ${FEATURES} features and the ONNX model in ${repo}`);
  const { features, csvBytes } = createEvalRepo(repo, {
    rows: config.rows,
    width: FEATURES,
    importanceRepeats: IMPORTANCE_REPEATS,
  });
  const paths = {
    rows: config.rows,
    model: join(repo, 'bench-input', 'model.onnx'),
    features: join(scratch, 'features.f32'),
  };
  writeFileSync(paths.features, features);
  weft(repo, 'run');
  progress(`weft run registered model bench; warming up (one unmeasured evaluate); load ${load()}`);
  evaluateOnce(weft, repo, config.rows);
  const runs = measure(weft, repo, paths, config.repeats);
  progress(`weft evaluate wall: ${listSeconds(runs.weft.map((r) => r.wallMs / 1000))}`);
  if (config.profile) {
    const args = ['evaluate', 'bench', '--force', '--json'];
    profileCommands(repo, scratch, weftHome, [{ label: '`weft evaluate --force`', args }]);
  }
  progress(`done; load average ${load()}`);
  printReport(config, runs, csvBytes);
}

const config = readConfig();
runInScratch({ project, prefix: 'weft-bench-evaluate-', keep: config.keep }, (scratch, weft) =>
  runBench(scratch, weft, config),
);
