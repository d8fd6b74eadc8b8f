// CPU profiles of weft commands in the generated repo, summarised for the bench output.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  cpuProfileFlags,
  createFrameLocator,
  formatProfileSummary,
  readProfileIn,
} from './cpu-profile.mjs';
import { timeCommand } from './measure.mjs';
import { formatSeconds } from './report.mjs';

const PIPELINE_CASES = [
  { label: 'warm no-op `weft run`', args: ['run'] },
  { label: 'warm no-op `weft status`', args: ['status'] },
  { label: '`weft status` with no stat cache (hashes everything)', args: ['status'], cold: true },
];

/**
 * CPU profiles of weft commands ({ label, args, cold }; `cold` drops the stat cache first),
 * by default the warm no-op `run` and `status`, and `status` with no stat cache.
 */
export function profileCommands(repo, scratch, { home, cli }, cases = PIPELINE_CASES) {
  const locate = createFrameLocator(home);
  cases.forEach(({ label, args, cold }, index) => {
    if (cold) rmSync(join(repo, '.weft', 'stat-cache.bin'), { force: true });
    const dir = join(scratch, `profile-${index}`);
    const flags = cpuProfileFlags(dir);
    const { seconds } = timeCommand(process.execPath, [...flags, cli, ...args], { cwd: repo });
    console.log(`\nCPU profile of ${label}: ${formatSeconds(seconds)} wall (100 µs samples)`);
    console.log(formatProfileSummary(readProfileIn(dir), locate));
  });
}
