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

/** Top `limit` functions by self time: [{ name, where, ms, share }]. */
export function summarizeSelfTime(profile, projectRoot, limit = 15) {
  const selfUs = new Map();
  profile.samples.forEach((nodeId, index) => {
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byFunction = new Map();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    totalUs += us;
    const key = describeFrame(node.callFrame, projectRoot);
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

export function formatSelfTime(rows) {
  return rows
    .map((row) => `  ${row.ms.toFixed(1).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.key}`)
    .join('\n');
}
