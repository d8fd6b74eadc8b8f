// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where time was spent: self time per
// function, summed over every node of the call tree with the same function and location.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The single profile written into `dir`. */
export function readProfileIn(dir) {
  const name = readdirSync(dir).find((file) => file.endsWith('.cpuprofile'));
  if (name === undefined) throw new Error(`no .cpuprofile written in ${dir}`);
  return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}

/** Top `limit` functions by self time: [{ key, ms, share }]. */
export function summarizeSelfTime(profile, projectRoot, limit = 15) {
  return summarizeBy(profile, (frame) => describeFrame(frame, projectRoot), limit);
}

/** Self time per package or source file, which shows where a diffuse profile goes. */
export function summarizeSelfTimeBySource(profile, projectRoot, limit = 12) {
  return summarizeBy(profile, (frame) => describeSource(frame, projectRoot), limit);
}

function summarizeBy(profile, keyOf, limit) {
  const selfUs = new Map();
  profile.samples.forEach((nodeId, index) => {
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byFunction = new Map();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    totalUs += us;
    const key = keyOf(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  return [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => ({ key, ms: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
}

function describeFrame(frame, projectRoot) {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const shown = path.startsWith(projectRoot) ? relative(projectRoot, path) : path;
  return `${name}  ${shown}:${frame.lineNumber + 1}`;
}

/**
 * Inclusive time of weft's own functions (frames under `projectRoot`/dist): each sample counts
 * once for every distinct such function on its stack, so recursion is not double counted.
 */
export function summarizeWeftInclusive(profile, projectRoot, limit = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const distUrl = `file://${projectRoot}/dist/`;
  const totals = new Map();
  let totalUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    totalUs += us;
    const seen = new Set();
    for (let id = nodeId; id !== undefined; id = parentOf.get(id)) {
      const frame = byId.get(id).callFrame;
      if (frame.url.startsWith(distUrl)) seen.add(describeFrame(frame, projectRoot));
    }
    for (const key of seen) totals.set(key, (totals.get(key) ?? 0) + us);
  });
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => ({ key, ms: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
}

function describeSource(frame, projectRoot) {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native code)';
  if (frame.url.startsWith('node:internal/modules')) return 'node: module loading';
  if (frame.url.startsWith('node:')) return 'node: other internals';
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inPackage) return `package ${inPackage[1]}`;
  return path.startsWith(projectRoot) ? relative(projectRoot, path) : path;
}

export function formatSelfTime(rows) {
  return rows
    .map(
      (row) =>
        `  ${row.ms.toFixed(1).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.key}`,
    )
    .join('\n');
}
