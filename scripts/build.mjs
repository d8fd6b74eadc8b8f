#!/usr/bin/env node
// Bundles the CLI into one file, dist/cli/main.js. Loading ~400 small ESM files (kysely alone is
// 280) costs more than the whole of a no-op `weft run`; one bundled file loads several times
// faster. Type checking is `npm run typecheck`; this only transpiles.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const outdir = fileURLToPath(new URL('../dist/cli/', import.meta.url));

rmSync(outdir, { recursive: true, force: true }); // no stale chunks from earlier builds
await build({
  entryPoints: [fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))],
  outdir,
  // Chunks sit next to main.js (paths like ../../package.json resolve the same from each), and
  // what a command does not need stays unloaded: `weft status` never loads the SQL layer.
  splitting: true,
  chunkNames: 'chunk-[hash]',
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
chmodSync(`${outdir}/main.js`, 0o755);
