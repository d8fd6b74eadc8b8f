#!/usr/bin/env node
// weft's pipeline benchmark (issue 2): one run prints each metric beside a baseline measured in
// the same run, the ratio and the target. Baselines and weft are measured interleaved, so a
// machine that gets busier half-way through skews both sides alike.
//
//   npm run bench                              # 100 stages over 10,000 files, about 1 GiB
//   WEFT_BENCH_BYTES=64000000 npm run bench    # a quick run (64 MB)
//
// Env: WEFT_BENCH_BYTES (default 1 GiB), WEFT_BENCH_FILES (10000), WEFT_BENCH_STAGES (100),
// WEFT_BENCH_REPEATS (cold measurements, 5), WEFT_BENCH_PROFILE=1 (CPU profiles of the warm
// no-op run and status and of a cold status: top functions by self and inclusive time),
// WEFT_BENCH_SETTLE_SECONDS (how long to wait, before the cold runs, for file creation to cost
// its usual tens of µs again; 360, 0 to not wait), WEFT_BENCH_KEEP=1 (keep the temp repos),
// WEFT_BENCH_DATA_DIR (where the generated data files
// are kept between runs; default weft-bench-data in the temp directory: delete it to free them).
// Exit code 0 even when a target is missed: this is a report; a broken weft exits 1.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress, loadAverage, readIntEnv, settleFileCreation } from './lib/run-env.mjs';
import {
  createWeft,
  hashFilesRaw,
  hashFilesStreamed,
  listSeconds,
  median,
  min,
  timeCommand,
} from './lib/measure.mjs';
import { profileCommands } from './lib/profile-commands.mjs';
import {
  createRow,
  formatBytes,
  formatRate,
  formatSeconds,
  formatTable,
  summarizeVerdicts,
} from './lib/report.mjs';
import {
  createDataRepo,
  createSleepRepo,
  MACHINE_SETTINGS_LEFT_OUT,
  resetWeftState,
  runInScratch,
  warmPageCache,
} from './lib/workspace.mjs';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WARM_REPEATS = 5;
const SLEEPERS = { count: 8, seconds: 1, jobs: 2 };

function readConfig() {
  return {
    bytes: readIntEnv('WEFT_BENCH_BYTES', 1024 ** 3),
    fileCount: readIntEnv('WEFT_BENCH_FILES', 10_000),
    stageCount: readIntEnv('WEFT_BENCH_STAGES', 100),
    repeats: readIntEnv('WEFT_BENCH_REPEATS', 5),
    settleSeconds: readIntEnv('WEFT_BENCH_SETTLE_SECONDS', 360, { allowZero: true }),
    profile: process.env.WEFT_BENCH_PROFILE === '1',
    dataCacheDir: process.env.WEFT_BENCH_DATA_DIR || join(tmpdir(), 'weft-bench-data'),
    keep: process.env.WEFT_BENCH_KEEP === '1',
  };
}

const progress = createProgress();
const load = loadAverage;

/** Files and directories under `dir`, itself included. */
function countEntries(dir) {
  return readdirSync(dir, { recursive: true }).length + 1;
}

function countOuts(repo) {
  return existsSync(join(repo, 'out')) ? readdirSync(join(repo, 'out')).length : 0;
}

function assertUpToDate(weft, repo, when) {
  const status = JSON.parse(weft(repo, 'status', '--json').stdout);
  if (!status.upToDate)
    throw new Error(`weft status is not up to date ${when}: ${JSON.stringify(status.stages[0])}`);
}

/** Cold: raw sha256 baseline, cold `weft run`, then `weft status` with no stat cache; interleaved. */
async function measureCold(weft, repo, data, config) {
  const raw = [];
  const coldRun = [];
  const coldStatus = [];
  const streamed = await hashFilesStreamed(repo, data.files);
  progress(
    `sha256 with one fs.createReadStream per file (for reference): ${streamed.toFixed(3)} s`,
  );
  const creation = await settleFileCreation(dirname(repo), config.settleSeconds, progress);
  let created = 0;
  for (let rep = 1; rep <= config.repeats; rep += 1) {
    raw.push(hashFilesRaw(repo, data.files));
    resetWeftState(repo, join(dirname(repo), 'graveyard'));
    coldRun.push(weft(repo, 'run').seconds);
    if (countOuts(repo) !== config.stageCount)
      throw new Error(`cold run wrote ${countOuts(repo)} outs, expected ${config.stageCount}`);
    created = countEntries(join(repo, '.weft')) + countEntries(join(repo, 'out'));
    rmSync(join(repo, '.weft', 'stat-cache.bin'), { force: true });
    coldStatus.push(weft(repo, 'status').seconds);
    progress(
      `cold ${rep}/${config.repeats}: raw sha256 ${raw.at(-1).toFixed(3)} s, weft run ${coldRun.at(-1).toFixed(3)} s, weft status (no stat cache) ${coldStatus.at(-1).toFixed(3)} s`,
    );
  }
  assertUpToDate(weft, repo, 'after the cold run');
  return { raw, streamed, coldRun, coldStatus, creation, created };
}

/** Warm no-op: `node -e 0`, `weft --version`, `weft run`, `weft status`; interleaved. */
function measureWarm(weft, repo) {
  const node = [];
  const version = [];
  const run = [];
  const status = [];
  for (let rep = 1; rep <= WARM_REPEATS; rep += 1) {
    node.push(timeCommand(process.execPath, ['-e', '0']).seconds);
    version.push(weft(repo, '--version').seconds);
    run.push(weft(repo, 'run').seconds);
    status.push(weft(repo, 'status').seconds);
  }
  progress(`node -e 0:       ${listSeconds(node)}`);
  progress(`weft --version:  ${listSeconds(version)}`);
  progress(`weft run (warm): ${listSeconds(run)}`);
  progress(`weft status:     ${listSeconds(status)}`);
  assertUpToDate(weft, repo, 'after the warm runs');
  return { node, version, run, status };
}

function measureSleepers(weft, repo, repeats) {
  const wall = [];
  for (let rep = 1; rep <= repeats; rep += 1) {
    resetWeftState(repo, join(dirname(repo), 'graveyard'));
    wall.push(weft(repo, 'run', '-j', String(SLEEPERS.jobs)).seconds);
    if (countOuts(repo) !== SLEEPERS.count)
      throw new Error(`sleep stages wrote ${countOuts(repo)} outs, expected ${SLEEPERS.count}`);
    progress(
      `${SLEEPERS.count} x sleep ${SLEEPERS.seconds} with -j ${SLEEPERS.jobs} (${rep}/${repeats}): ${wall.at(-1).toFixed(3)} s`,
    );
  }
  return wall;
}

/**
 * Cold status minus warm status: what hashing costs once the fixed per-invocation work (startup,
 * reading weft.yaml and weft.lock, statting every file) is taken out. An estimate, for context.
 */
function describeHashingPart(bytes, cold, warm) {
  const seconds = median(cold.coldStatus) - median(warm.status);
  if (seconds <= 0) return 'hashing part of cold status: not measurable (warm status took as long)';
  const ratio = bytes / seconds / (bytes / median(cold.raw));
  return (
    `hashing part of cold status (cold minus warm status, estimate): ${formatSeconds(seconds)}, ` +
    `${formatRate(bytes / seconds)}, ${ratio.toFixed(2)}x raw sha256`
  );
}

function buildRows({ bytes, stageCount }, cold, warm, sleepers) {
  const rawRate = bytes / median(cold.raw);
  const throughputRow = (metric, seconds) =>
    createRow(metric, {
      value: formatRate(bytes / seconds),
      baseline: `${formatRate(rawRate)} raw sha256`,
      ratio: bytes / seconds / rawRate,
      target: 'ratio >= 0.7',
      passes: bytes / seconds / rawRate >= 0.7,
    });
  const node = median(warm.node);
  const warmRow = (metric, values, extra = '') =>
    createRow(metric, {
      value: `${formatSeconds(median(values))}${extra}`,
      baseline: `${formatSeconds(node)} node -e 0`,
      ratio: median(values) / node,
      target: '<= 0.300 s',
      passes: median(values) <= 0.3,
    });
  const ideal = (SLEEPERS.count / SLEEPERS.jobs) * SLEEPERS.seconds;
  return [
    throughputRow(
      `cold weft run hashing throughput (incl. ${stageCount} stage spawns)`,
      median(cold.coldRun),
    ),
    throughputRow('pure hashing throughput (weft status, no stat cache)', median(cold.coldStatus)),
    warmRow(
      'warm no-op weft run (median of 5)',
      warm.run,
      ` (min ${formatSeconds(min(warm.run))})`,
    ),
    warmRow('weft status, warm (median of 5)', warm.status),
    createRow(`${SLEEPERS.count} x 1 s stages, -j ${SLEEPERS.jobs} (median)`, {
      value: formatSeconds(median(sleepers)),
      baseline: `${formatSeconds(ideal)} ideal`,
      ratio: median(sleepers) / ideal,
      target: 'ratio <= 1.15',
      passes: median(sleepers) / ideal <= 1.15,
    }),
  ];
}

async function runBench(scratch, weftHome, config) {
  const weft = createWeft(weftHome.cli);
  const repo = join(scratch, 'pipeline');
  progress(
    `setting up ${config.stageCount} stages over ${config.fileCount} files, ${formatBytes(config.bytes)} in ${repo}`,
  );
  const data = createDataRepo(repo, config, config.dataCacheDir);
  warmPageCache(repo, data.files);
  progress(
    `data files ${data.generated ? 'generated into' : 'linked from'} ${config.dataCacheDir} (kept for later runs) and read once (page cache warm); load average ${load()}`,
  );
  const cold = await measureCold(weft, repo, data, config);
  const warm = measureWarm(weft, repo);
  if (config.profile) profileCommands(repo, scratch, weftHome);
  const sleepRepo = join(scratch, 'sleepers');
  createSleepRepo(sleepRepo, SLEEPERS);
  const sleepers = measureSleepers(weft, sleepRepo, Math.min(config.repeats, 3));
  progress(`done; load average ${load()}`);

  const rows = buildRows(config, cold, warm, sleepers);
  console.log(
    `\nweft pipeline benchmark: ${config.stageCount} stages, ${config.fileCount} files, ${formatBytes(config.bytes)}`,
  );
  console.log(
    `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average at end ${load()}`,
  );
  console.log(
    `medians of ${config.repeats} cold runs: raw sha256 ${formatSeconds(median(cold.raw))}, weft run ${formatSeconds(median(cold.coldRun))}, weft status (no stat cache) ${formatSeconds(median(cold.coldStatus))}`,
  );
  console.log(
    `sha256 with a createReadStream per file: ${formatRate(config.bytes / cold.streamed)} (the baseline below is a tight readSync loop)`,
  );
  console.log(`weft --version (startup floor) median ${formatSeconds(median(warm.version))}`);
  const waited =
    cold.creation.waitedSeconds >= 1
      ? ` (after waiting ${cold.creation.waitedSeconds.toFixed(0)} s for it to settle)`
      : '';
  console.log(
    `creating a file here costs ${cold.creation.file.toFixed(0)} µs of CPU, a directory ${cold.creation.directory.toFixed(0)} µs${waited}; a cold run creates ${cold.created} (.weft and the outputs)`,
  );
  const leftOut = MACHINE_SETTINGS_LEFT_OUT.filter((name) => process.env[name] !== undefined);
  if (leftOut.length > 0) {
    console.log(`left out of every measured command's environment: ${leftOut.join(', ')}`);
  }
  console.log(`${describeHashingPart(config.bytes, cold, warm)}\n`);
  console.log(formatTable(rows));
  console.log(`\n${summarizeVerdicts(rows)}`);
}

const config = readConfig();
runInScratch({ project, prefix: 'weft-bench-', keep: config.keep }, (scratch, weft) =>
  runBench(scratch, weft, config),
);
