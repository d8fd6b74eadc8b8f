// The serving benchmark's version scenarios: (c) requests that fail while versions are swapped
// under load, and the memory each loaded version of the small model costs (in `weft serve`,
// and with many versions in the shared ONNX worker pool).
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { timeCommand } from './measure.mjs';
import { startLoad } from './load.mjs';
import { SMALL_FEATURES, singleRowBody } from './serve-models.mjs';
import {
  countServerFailures,
  postJson,
  readRssBytes,
  startServer,
  startWeftServe,
  waitForJsonLine,
} from './serve-process.mjs';
import { REGISTERED_MODEL } from './serve-workspace.mjs';
import { withServers } from './serve-throughput.mjs';

/** Load before the first swap and after the last, so swaps never meet a cold or idle server. */
const SETTLE_MS = 500;
const SWAP_CONNECTIONS = 32;
const LOAD_CEILING_SECONDS = 600;
const body = singleRowBody(SMALL_FEATURES);

/** Runs `swap` under load on `server`; what the clients and the server saw fail. */
async function underLoad(server, model, swap) {
  const url = `${server.url}/v2/models/${model}/infer`;
  const load = startLoad({
    url,
    body,
    connections: SWAP_CONNECTIONS,
    seconds: LOAD_CEILING_SECONDS,
  });
  await sleep(SETTLE_MS);
  const started = performance.now();
  const swaps = await swap();
  const swapSeconds = (performance.now() - started) / 1000;
  await sleep(SETTLE_MS);
  load.stop();
  const client = await load.done;
  return { ...swaps, swapSeconds, client, server: await countServerFailures(server.url) };
}

/**
 * Over HTTP, through `weft serve`: versions 1 and 2 split traffic 50/50, and each swap is a
 * repository-extension load of one of them, which replaces the serving instance with a freshly
 * started one and retires the old instance once its requests finish.
 */
export function swapOverHttp({ cli, repo, swaps }) {
  const args = [`${REGISTERED_MODEL}@1`, `${REGISTERED_MODEL}@2`];
  const traffic = ['--traffic', `${REGISTERED_MODEL}@1=1,${REGISTERED_MODEL}@2=1`];
  const start = () => startWeftServe(cli, [...args, ...traffic], { cwd: repo });
  return withServers([start], (server) =>
    underLoad(server, REGISTERED_MODEL, async () => {
      let failedLoads = 0;
      for (let swap = 1; swap <= swaps; swap++) {
        const version = swap % 2 === 1 ? '2' : '1';
        const url = `${server.url}/v2/repository/models/${REGISTERED_MODEL}/load`;
        const { status } = await postJson(url, { parameters: { version } });
        if (status !== 200) failedLoads += 1;
      }
      return { swaps, failedLoads };
    }),
  );
}

/**
 * In-process (bench/lib/swap-driver.mjs, weft's server from src/ through tsx): each swap loads
 * the next version, moves all traffic to it and unloads the previous one.
 */
export function swapInProcess({ here, scratch, models, swaps }) {
  const tsx = import.meta.resolve('tsx');
  const driver = join(here, 'lib', 'swap-driver.mjs');
  const args = ['--import', tsx, driver, models.small[0], models.small[1], String(swaps)];
  const start = () =>
    startServer(process.execPath, args, {
      cwd: scratch,
      ready: /^\{"url":"(http:[^"]+)"\}$/m,
      label: 'swap driver',
    });
  return withServers([start], (server) =>
    underLoad(server, 'small', async () => {
      server.child.stdin.write('go\n');
      const done = await waitForJsonLine(server, /^\{"swaps"/, LOAD_CEILING_SECONDS * 1000);
      return { ...done, failedLoads: 0 };
    }),
  );
}

/**
 * RSS of `weft serve small@1` (warmed up) before and after loading `count` more registry
 * versions through the repository extension, idle and after each answered one request; and
 * the same for bare ONNX Runtime sessions.
 */
export async function measureVersionMemory({ cli, here, repo, models, count }) {
  const start = () => startWeftServe(cli, [`${REGISTERED_MODEL}@1`], { cwd: repo });
  const weft = await withServers([start], async (server) => {
    const url = `${server.url}/v2/models/${REGISTERED_MODEL}/infer`;
    const warmed = await startLoad({ url, body, connections: 8, seconds: 1 }).done;
    if (warmed.failed > 0) throw new Error(`${warmed.failed} warm-up requests failed`);
    const rss = () => readRssBytes(server.child.pid);
    const before = rss();
    const versions = Array.from({ length: count }, (_, k) => String(k + 2));
    for (const version of versions) {
      const load = { parameters: { version } };
      await expectOk(server, `repository/models/${REGISTERED_MODEL}/load`, load);
    }
    const loaded = rss();
    for (const version of versions) {
      await expectOk(server, `models/${REGISTERED_MODEL}/versions/${version}/infer`, body);
    }
    return { before, loaded, served: rss() };
  });
  return { ...weft, count, bareBytes: measureBareSessionBytes(here, models, count) };
}

/**
 * Memory per version with the shared ONNX worker pool, away from `weft serve`'s start-up: a
 * fresh in-process server (bench/lib/pool-memory.mjs, weft from src/ through tsx) with one
 * version per worker, then `count` more; against `count` bare ORT sessions.
 */
export function measurePoolMemory({ here, scratch, models, count, workers }) {
  const tsx = import.meta.resolve('tsx');
  const script = join(here, 'lib', 'pool-memory.mjs');
  const args = ['--expose-gc', '--import', tsx, script, String(workers), String(count)];
  const { stdout } = timeCommand(process.execPath, args, { cwd: scratch });
  const pool = JSON.parse(stdout);
  return { ...pool, bareBytes: measureBareSessionBytes(here, models, count) };
}

/** RSS one more bare ORT session of the small model adds, over `count` of them. */
function measureBareSessionBytes(here, models, count) {
  const script = join(here, 'lib', 'bare-ort-sessions.mjs');
  const files = models.small.slice(0, count + 1);
  const { stdout } = timeCommand(process.execPath, [script, String(SMALL_FEATURES), ...files]);
  const bare = JSON.parse(stdout);
  return bare.addedRssBytes / bare.sessions;
}

async function expectOk(server, path, requestBody) {
  const { status, body: answer } = await postJson(`${server.url}/v2/${path}`, requestBody);
  if (status !== 200) throw new Error(`POST /v2/${path}: ${status} ${JSON.stringify(answer)}`);
}
