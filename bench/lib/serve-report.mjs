// The serving benchmark's table and the figures behind it.
import { median } from './measure.mjs';
import { createRow, formatTable, summarizeVerdicts } from './report.mjs';
import { describeBatching, describeRun, OVERHEAD_BATCHING } from './serve-throughput.mjs';

const MIN_OVERHEAD_RATIO = 0.8;
const MAX_P99_MS = 5;
const MIN_BATCHING_GAIN = 3;
const MAX_BATCHING_P99_RATIO = 2;
const MIN_MLP_ROW_MS = 0.5;

const formatRps = (perSecond) => `${Math.round(perSecond).toLocaleString('en-US')} req/s`;
const formatMs = (ms) => `${ms.toFixed(2)} ms`;
/** A p99 with timeouts behind it counts them at the timeout: it is a lower bound. */
const formatP99 = (run) =>
  run.timeouts > 0 ? `>= ${formatMs(run.p99Ms)} (${run.timeouts} timed out)` : formatMs(run.p99Ms);
const formatKib = (bytes) => (Number.isFinite(bytes) ? `${Math.round(bytes / 1024)} KiB` : 'n/a');

/** Requests over all rounds / their seconds; the median round's p50 and p99. */
function pool(runs) {
  const ok = runs.reduce((sum, run) => sum + run.ok, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    requestsPerSecond: ok / seconds,
    timeouts: runs.reduce((sum, run) => sum + run.timeouts, 0),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
  };
}

const bestBatching = (runs) =>
  runs
    .slice(1)
    .reduce((best, run) => (run.requestsPerSecond > best.requestsPerSecond ? run : best));

/** A row that explains a judged one and has no target of its own. */
const explainRow = (metric, fields) => ({
  ...createRow(metric, { ...fields, target: 'none (explains (a))', passes: true }),
  verdict: 'n/a',
});

function overheadRows({ overhead }) {
  const [echo, bareOrt, weft, batched] = ['echo', 'bareOrt', 'weft', 'weftBatched'].map((side) =>
    pool(overhead[side]),
  );
  return [
    createRow('(a) small model, -c 32: throughput', {
      value: formatRps(weft.requestsPerSecond),
      baseline: `${formatRps(echo.requestsPerSecond)} node:http echo`,
      ratio: weft.requestsPerSecond / echo.requestsPerSecond,
      target: `ratio >= ${MIN_OVERHEAD_RATIO.toFixed(2)}`,
      passes: weft.requestsPerSecond / echo.requestsPerSecond >= MIN_OVERHEAD_RATIO,
    }),
    createRow('(a) small model, -c 32: p99 latency', {
      value: formatP99(weft),
      baseline: `${formatP99(echo)} node:http echo`,
      ratio: weft.p99Ms / echo.p99Ms,
      target: `<= ${formatMs(MAX_P99_MS)}`,
      passes: weft.p99Ms <= MAX_P99_MS,
    }),
    explainRow('(a) throughput against node:http + ORT', {
      value: formatRps(weft.requestsPerSecond),
      baseline: `${formatRps(bareOrt.requestsPerSecond)} node:http + ORT`,
      ratio: weft.requestsPerSecond / bareOrt.requestsPerSecond,
    }),
    explainRow(`(a) throughput, weft ${describeBatching(OVERHEAD_BATCHING)}`, {
      value: `${formatRps(batched.requestsPerSecond)}, p99 ${formatP99(batched)}`,
      baseline: `${formatRps(echo.requestsPerSecond)} node:http echo`,
      ratio: batched.requestsPerSecond / echo.requestsPerSecond,
    }),
  ];
}

function batchingRows({ batching }) {
  const [off, on] = [batching[0], bestBatching(batching)];
  return [
    createRow(`(b) MLP, -c 64: throughput, ${on.label}`, {
      value: formatRps(on.requestsPerSecond),
      baseline: `${formatRps(off.requestsPerSecond)} unbatched`,
      ratio: on.requestsPerSecond / off.requestsPerSecond,
      target: `ratio >= ${MIN_BATCHING_GAIN.toFixed(2)}`,
      passes: on.requestsPerSecond / off.requestsPerSecond >= MIN_BATCHING_GAIN,
    }),
    createRow(`(b) MLP, -c 64: p99 latency, ${on.label}`, {
      value: formatP99(on),
      baseline: `${formatP99(off)} unbatched`,
      ratio: on.p99Ms / off.p99Ms,
      target: `ratio <= ${MAX_BATCHING_P99_RATIO.toFixed(2)}`,
      passes: on.p99Ms / off.p99Ms <= MAX_BATCHING_P99_RATIO,
    }),
  ];
}

function swapRow(label, swap) {
  const clientFailed = swap.client.failed + swap.client.timeouts;
  const failed = clientFailed + swap.server.failed + swap.failedLoads;
  const sent = swap.client.ok + clientFailed;
  return createRow(label, {
    value: `${clientFailed} failed (server: ${swap.server.failed}, loads: ${swap.failedLoads})`,
    baseline: `${swap.client.ok.toLocaleString('en-US')} answered`,
    ratio: sent > 0 ? clientFailed / sent : 0,
    target: '0 failed',
    passes: failed === 0,
  });
}

/** A memory figure per loaded version, against a bare ONNX Runtime session: reported, not judged. */
function versionMemoryRow(name, perVersion, bareBytes) {
  return {
    ...createRow(name, {
      value: formatKib(perVersion),
      baseline: `${formatKib(bareBytes)} bare ORT session`,
      ratio: perVersion / bareBytes,
      target: 'none (reported)',
      passes: true,
    }),
    verdict: 'n/a',
  };
}

const memoryRow = ({ memory }) =>
  versionMemoryRow(
    `memory per loaded small version (${memory.count} loaded)`,
    (memory.served - memory.before) / memory.count,
    memory.bareBytes,
  );

const poolMemoryRow = ({ poolMemory }) =>
  versionMemoryRow(
    `memory per loaded small version, ${poolMemory.versions} in a ${poolMemory.workers}-worker ONNX pool`,
    poolMemory.addedRssBytes / poolMemory.versions,
    poolMemory.bareBytes,
  );

export function buildServeRows(config, results) {
  return [
    ...overheadRows(results),
    ...batchingRows(results),
    swapRow(`(c) ${config.swaps} swaps, traffic moved (in-process)`, results.swaps.inProcess),
    swapRow(`(c) ${config.swaps} in-place reloads over HTTP`, results.swaps.overHttp),
    memoryRow(results),
    poolMemoryRow(results),
  ];
}

function printDetails(config, { overhead, batching, swaps, memory, poolMemory, mlpCost }) {
  console.log(`(a) ${config.rounds} alternated rounds of ${config.seconds} s each, pooled:`);
  const names = {
    echo: 'node:http echo',
    bareOrt: 'node:http + ORT',
    weft: 'weft serve',
    weftBatched: `weft, ${describeBatching(OVERHEAD_BATCHING)}`,
  };
  for (const [side, name] of Object.entries(names)) {
    console.log(`    ${name.padEnd(28)} ${describeRun(pool(overhead[side]))}`);
  }
  const cost = mlpCost.singleRowMs;
  const costNote = cost >= MIN_MLP_ROW_MS ? 'meets' : 'BELOW';
  console.log(
    `(b) MLP single-row run ${formatMs(cost)} in bare ORT (${costNote} the issue's >= ${MIN_MLP_ROW_MS} ms); ` +
      `64 rows ${formatMs(mlpCost.batchMs)}. Tried, ${config.seconds} s each:`,
  );
  for (const run of batching) {
    const rows = run.meanBatchRows ? `, ${run.meanBatchRows.toFixed(1)} rows per batch` : '';
    console.log(`    ${run.label.padEnd(28)} ${describeRun(run)}${rows}`);
  }
  for (const [label, swap] of Object.entries(swaps)) {
    console.log(
      `(c) ${label}: ${swap.swaps} swaps in ${swap.swapSeconds.toFixed(2)} s under -c 32; ` +
        `clients ${describeRun(swap.client)}; server counted ${swap.server.answered} answered, ${swap.server.failed} not 200`,
    );
  }
  console.log(
    `memory: weft serve RSS ${formatKib(memory.before)} with one version; ` +
      `+${formatKib((memory.loaded - memory.before) / memory.count)} per version loaded idle, ` +
      `+${formatKib((memory.served - memory.before) / memory.count)} once each answered a request ` +
      '(RSS: garbage V8 has not collected yet counts too)',
  );
  console.log(
    `memory, shared ONNX pool (in process, weft from src/): ${poolMemory.workers} workers with a ` +
      `version each +${formatKib(poolMemory.poolRssBytes)}; ` +
      `+${formatKib(poolMemory.addedRssBytes / poolMemory.versions)} per further version once it answered ` +
      `(${poolMemory.versions} loaded; after a full GC)\n`,
  );
}

export function printServeReport(config, results, rows) {
  console.log('\nweft serving benchmark');
  printDetails(config, results);
  console.log(formatTable(rows));
  console.log(
    'ratio: weft / baseline; on the swap rows, failed / all requests; n/a rows have no target',
  );
  console.log(`\n${summarizeVerdicts(rows.filter((row) => row.verdict !== 'n/a'))}`);
}
