// A CPU profile of `weft serve` under the overhead scenario's load, summarised like the other
// benchmarks' profiles: where the server's main thread spends its time per request.
import { join } from 'node:path';
import {
  cpuProfileFlags,
  createFrameLocator,
  formatProfileSummary,
  readProfileIn,
} from './cpu-profile.mjs';
import { measureLoad } from './load.mjs';
import { SMALL_FEATURES, singleRowBody } from './serve-models.mjs';
import { startWeftServe } from './serve-process.mjs';
import { describeRun, withServers } from './serve-throughput.mjs';

export async function profileServe({ weftHome, scratch, models, config }) {
  const dir = join(scratch, 'profile-serve');
  const nodeFlags = cpuProfileFlags(dir);
  const start = () =>
    startWeftServe(weftHome.cli, ['--model', models.small[0]], { cwd: scratch, nodeFlags });
  const run = await withServers([start], (server) =>
    measureLoad(
      {
        url: `${server.url}/v2/models/small-1/infer`,
        body: singleRowBody(SMALL_FEATURES),
        connections: 32,
        seconds: config.seconds,
      },
      'profiled weft serve',
    ),
  );
  // The profile covers the server's whole life: start, load and drain.
  console.log(`\nCPU profile of \`weft serve\` at -c 32 (100 µs samples): ${describeRun(run)}`);
  const locate = createFrameLocator(weftHome.home);
  const limits = { self: 25, bySource: 15, inclusive: 20 };
  console.log(formatProfileSummary(readProfileIn(dir), locate, limits));
}
