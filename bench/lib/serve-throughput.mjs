// The serving benchmark's throughput scenarios: (a) what serving itself costs, weft against
// bare JSON servers (with and without ONNX Runtime) on a model that costs next to nothing; (b) what dynamic batching buys on a model
// whose inference dominates.
/* global fetch */
import { join } from 'node:path';
import { measureLoad } from './load.mjs';
import { SMALL_FEATURES, MLP_LAYERS, singleRowBody } from './serve-models.mjs';
import { startServer, startWeftServe } from './serve-process.mjs';

const WARM_UP_SECONDS = 1;

/** Starts servers, runs `use` with them, and stops them all even when `use` throws. */
export async function withServers(starts, use) {
  const servers = [];
  let outcome;
  try {
    for (const start of starts) servers.push(await start());
    outcome = { failed: false, value: await use(...servers) };
  } catch (error) {
    outcome = { failed: true, error };
  }
  const stopped = await Promise.allSettled(servers.map((server) => server.stop()));
  // The scenario's own failure says more than a server that then failed to stop.
  if (outcome.failed) throw outcome.error;
  const failure = stopped.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return outcome.value;
}

const inferUrl = (server, model) => `${server.url}/v2/models/${model}/infer`;

/** Batching for (a)'s informational side: one ONNX Runtime call for many requests. */
export const OVERHEAD_BATCHING = { size: 32, latencyMs: 1 };

/**
 * (a) the echo server, the echo server with ONNX Runtime, `weft serve --model small.onnx` and
 * the same with OVERHEAD_BATCHING: `rounds` loads of `seconds` each at 32 connections,
 * alternated so drifting machine load hits all alike. Returns the runs per side:
 * { echo, bareOrt, weft, weftBatched }.
 */
export function measureServingOverhead({ cli, here, scratch, models, config, progress }) {
  const body = singleRowBody(SMALL_FEATURES);
  const bare = (label, args) => () =>
    startServer(process.execPath, [join(here, 'lib', 'echo-server.mjs'), ...args], {
      cwd: scratch,
      ready: /^listening (http:\S+)/m,
      label,
    });
  const starts = [
    bare('echo server', []),
    bare('bare ORT server', [models.small[0]]),
    () => startWeftServe(cli, ['--model', models.small[0]], { cwd: scratch }),
    () =>
      startWeftServe(cli, ['--model', models.small[0], ...batchingFlags(OVERHEAD_BATCHING)], {
        cwd: scratch,
      }),
  ];
  return withServers(starts, async (echo, bareOrt, weft, weftBatched) => {
    const urls = {
      echo: inferUrl(echo, 'small'),
      bareOrt: inferUrl(bareOrt, 'small'),
      weft: inferUrl(weft, 'small-1'),
      weftBatched: inferUrl(weftBatched, 'small-1'),
    };
    const sides = Object.keys(urls);
    const load = (side, seconds) =>
      measureLoad({ url: urls[side], body, connections: 32, seconds }, `${side} at -c 32`);
    for (const side of sides) await load(side, WARM_UP_SECONDS);
    const runs = Object.fromEntries(sides.map((side) => [side, []]));
    for (let round = 1; round <= config.rounds; round++) {
      for (const side of sides) runs[side].push(await load(side, config.seconds));
      const line = sides.map((side) => `${side} ${describeRun(runs[side].at(-1))}`).join('; ');
      progress(`(a) ${round}/${config.rounds}: ${line}`);
    }
    return runs;
  });
}

const batchingFlags = ({ size, latencyMs }) => [
  '--max-batch-size',
  String(size),
  '--max-batch-latency-ms',
  String(latencyMs),
];

export const describeBatching = ({ size, latencyMs }) => `batching ${size} rows / ${latencyMs} ms`;

export const describeRun = (run) =>
  `${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms` +
  (run.timeouts > 0 ? `, ${run.timeouts} timed out` : '');

/** Mean rows per batch from the server's histogram, or undefined when nothing was batched. */
async function readMeanBatchRows(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const sum = /^weft_batch_rows_sum\{[^}]*\} (\S+)/m.exec(text)?.[1];
  const count = /^weft_batch_rows_count\{[^}]*\} (\S+)/m.exec(text)?.[1];
  return sum === undefined || !(Number(count) > 0) ? undefined : Number(sum) / Number(count);
}

/**
 * (b) `weft serve --model mlp.onnx` at `connections` 64, batching off and then each setting
 * ({ size, latencyMs }), one fresh server each.
 */
export async function measureBatching({ cli, scratch, models, config, settings, progress }) {
  const body = singleRowBody(MLP_LAYERS[0]);
  const runs = [];
  for (const setting of [undefined, ...settings]) {
    const flags = setting ? batchingFlags(setting) : [];
    const label = setting ? describeBatching(setting) : 'no batching';
    const start = () => startWeftServe(cli, ['--model', models.mlp, ...flags], { cwd: scratch });
    const run = await withServers([start], async (server) => {
      const options = { url: inferUrl(server, 'mlp'), body, connections: 64 };
      await measureLoad({ ...options, seconds: WARM_UP_SECONDS }, `${label} warm-up`);
      const measured = await measureLoad({ ...options, seconds: config.seconds }, label);
      return { ...measured, meanBatchRows: await readMeanBatchRows(server) };
    });
    runs.push({ setting, label, ...run });
    const batches = run.meanBatchRows ? `, ${run.meanBatchRows.toFixed(1)} rows per batch` : '';
    progress(`(b) ${label}: ${describeRun(run)}${batches}`);
  }
  return runs;
}
