// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where time was spent: self time per
// function, per package or source file, and inclusive time of weft's own functions. Frames in
// a bundled file are mapped back through its source map when one sits beside it, so a bundled
// CLI still reports `src/...` and `package kysely` rather than one big dist/cli/main.js.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node flags that write one CPU profile into `dir`, sampled every 100 µs. */
export const cpuProfileFlags = (dir) => [
  '--cpu-prof',
  '--cpu-prof-interval',
  '100',
  '--cpu-prof-dir',
  dir,
];

/** The single profile written into `dir`. */
export function readProfileIn(dir) {
  const name = readdirSync(dir).find((file) => file.endsWith('.cpuprofile'));
  if (name === undefined) throw new Error(`no .cpuprofile written in ${dir}`);
  return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}

/** Maps call frames to `{ name, path, line }`, with `path` relative to `projectRoot` when inside. */
export function createFrameLocator(projectRoot) {
  const maps = new Map();
  const mapFor = (path) => {
    if (!maps.has(path)) {
      const mapPath = `${path}.map`;
      maps.set(
        path,
        existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8'))) : null,
      );
    }
    return maps.get(path);
  };
  const shorten = (path) => (path.startsWith(projectRoot) ? relative(projectRoot, path) : path);
  return (frame) => {
    const name = frame.functionName || '(anonymous)';
    if (!frame.url) return { name, path: '', line: 0 };
    if (!frame.url.startsWith('file://'))
      return { name, path: frame.url, line: frame.lineNumber + 1 };
    const path = fileURLToPath(frame.url);
    const entry = mapFor(path)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (!entry?.originalSource) return { name, path: shorten(path), line: frame.lineNumber + 1 };
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(path), entry.originalSource);
    return { name, path: shorten(source), line: entry.originalLine + 1 };
  };
}

const describeFunction = ({ name, path, line }) => (path ? `${name}  ${path}:${line}` : name);

function describeSource({ name, path }) {
  if (!path) return name.startsWith('(') ? name : '(native code)';
  if (path.startsWith('node:internal/modules')) return 'node: module loading';
  if (path.startsWith('node:')) return 'node: other internals';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return inPackage ? `package ${inPackage[1]}` : path;
}

const isWeftCode = ({ path }) => /^(src|dist)\//.test(path);

/** Top `limit` functions by self time: [{ key, ms, share }]. */
function summarizeSelfTime(profile, locate, limit = 15) {
  return summarizeBy(profile, (frame) => describeFunction(locate(frame)), limit);
}

/** Self time per package or source file, which shows where a diffuse profile goes. */
function summarizeSelfTimeBySource(profile, locate, limit = 12) {
  return summarizeBy(profile, (frame) => describeSource(locate(frame)), limit);
}

function summarizeBy(profile, keyOf, limit) {
  const selfUs = new Map();
  profile.samples.forEach((nodeId, index) => {
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const totals = new Map();
  for (const node of profile.nodes) {
    const key = keyOf(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + (selfUs.get(node.id) ?? 0));
  }
  return topOf(totals, sumOf(profile), limit);
}

/**
 * Inclusive time of weft's own functions: each sample counts once for every distinct weft
 * function on its stack, so recursion is not counted twice.
 */
function summarizeWeftInclusive(profile, locate, limit = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const located = new Map(profile.nodes.map((node) => [node.id, locate(node.callFrame)]));
  const totals = new Map();
  profile.samples.forEach((nodeId, index) => {
    const seen = new Set();
    for (let id = nodeId; byId.has(id); id = parentOf.get(id)) {
      const where = located.get(id);
      if (isWeftCode(where)) seen.add(describeFunction(where));
    }
    for (const key of seen)
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return topOf(totals, sumOf(profile), limit);
}

const sumOf = (profile) => profile.timeDeltas.reduce((sum, us) => sum + us, 0);

function topOf(totals, totalUs, limit) {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => ({ key, ms: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
}

function formatSelfTime(rows) {
  return rows
    .map(
      (row) =>
        `  ${row.ms.toFixed(1).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.key}`,
    )
    .join('\n');
}

/**
 * The profile three ways, as the benchmarks print it: top self time, self time by package or
 * file, and weft's own functions by inclusive time; `limits` overrides each list's length.
 */
export function formatProfileSummary(profile, locate, limits = {}) {
  return [
    '  top self time:',
    formatSelfTime(summarizeSelfTime(profile, locate, limits.self)),
    '  self time by package / file:',
    formatSelfTime(summarizeSelfTimeBySource(profile, locate, limits.bySource)),
    "  weft's functions, inclusive time:",
    formatSelfTime(summarizeWeftInclusive(profile, locate, limits.inclusive)),
  ].join('\n');
}
