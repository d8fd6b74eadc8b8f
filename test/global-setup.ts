import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The e2e tests drive the real `weft` binary, so build it once, fresh, before any test runs. */
export default function setup(): void {
  // For unit tests while another process uses dist (a benchmark, a second test run).
  if (process.env.WEFT_TEST_SKIP_BUILD === '1') return;
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
