#!/usr/bin/env node
// Bundles the CLI into one file, dist/cli/main.js, and the ONNX exporters users import from
// their training scripts (`weft/export`) into dist/export/index.js. Loading ~400 small ESM files
// (kysely alone is 280) costs more than the whole of a no-op `weft run`; one bundled file loads
// several times faster. Type checking is `npm run typecheck`; this only transpiles.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const source = (path) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

for (const dir of ['cli', 'export']) {
  rmSync(`${dist}/${dir}`, { recursive: true, force: true }); // no stale chunks from earlier builds
}
await build({
  entryPoints: [
    { in: source('cli/main.ts'), out: 'cli/main' },
    { in: source('export/index.ts'), out: 'export/index' },
  ],
  outdir: dist,
  // Chunks sit next to main.js (paths like ../../package.json resolve the same from each), and
  // what a command does not need stays unloaded: `weft status` never loads the SQL layer.
  splitting: true,
  chunkNames: 'cli/chunk-[hash]',
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
chmodSync(`${dist}/cli/main.js`, 0o755);
