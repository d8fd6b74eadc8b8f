import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The e2e tests drive the real `weft` binary, so build it once, fresh, before any test runs. */
export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
