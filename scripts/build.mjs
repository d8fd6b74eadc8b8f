#!/usr/bin/env node
// Bundles the CLI into one file, dist/cli/main.js, and the ONNX exporters users import from
// their training scripts (`weft/export`) into dist/export/index.js. Loading ~400 small ESM files
// (kysely alone is 280) costs more than the whole of a no-op `weft run`; one bundled file loads
// several times faster. Then the dashboard's browser app (src/dashboard/client) into hashed
// files under dist/dashboard/assets, with a manifest the server reads to find them. Type checking
// is `npm run typecheck`; this only transpiles.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const source = (path) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

for (const dir of ['cli', 'export', 'dashboard']) {
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

await buildDashboard();

/**
 * The dashboard: one ES module and one stylesheet for the browser, minified, named by content
 * hash so the server can let browsers cache them for a year. `manifest.json` maps the entry to
 * those names; the server reads it (and answers 503 when it is missing: not built).
 */
async function buildDashboard() {
  const outdir = `${dist}/dashboard/assets`;
  const result = await build({
    entryPoints: { app: source('dashboard/client/main.tsx') },
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: source('dashboard/client/tsconfig.json'),
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const [js, entry] = outputs.find(([path, out]) => out.entryPoint && path.endsWith('.js'));
  const manifest = {
    js: basename(js),
    css: entry.cssBundle ? basename(entry.cssBundle) : null,
    files: outputs.map(([path]) => basename(path)),
  };
  mkdirSync(outdir, { recursive: true });
  writeFileSync(`${dist}/dashboard/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
}
