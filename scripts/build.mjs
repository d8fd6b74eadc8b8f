#!/usr/bin/env node
// Bundles the CLI into one file, dist/cli/main.js. Loading ~400 small ESM files (kysely alone is
// 280) costs more than the whole of a no-op `weft run`; one bundled file loads several times
// faster. Type checking is `npm run typecheck`; this only transpiles.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const outfile = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

await build({
  entryPoints: [fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Native addons and drivers load from node_modules at run time.
  external: ['better-sqlite3', 'pg', 'onnxruntime-node'],
  // Bundled CommonJS dependencies use require() and __filename; ESM has neither of its own.
  banner: {
    js: [
      "import { createRequire as weftCreateRequire } from 'node:module';",
      "import { fileURLToPath as weftFileURLToPath } from 'node:url';",
      'const require = weftCreateRequire(import.meta.url);',
      'const __filename = weftFileURLToPath(import.meta.url);',
    ].join(' '),
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
