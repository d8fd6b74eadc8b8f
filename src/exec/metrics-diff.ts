import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILE, parseLockfile, type LockedStage, type Lockfile } from '../plan/lockfile.js';
import type { MetricValue } from '../registry/types.js';
import { readFileAtRevision, resolveRevision } from '../source/git.js';
import type { ObjectStore } from '../store/index.js';
import { extractMetrics } from './metrics.js';

/** `workspace` is the working tree; anything else is a Git revision. */
export type MetricsSource = 'workspace' | { rev: string };

export interface MetricDelta {
  file: string;
  key: string;
  old: number | null;
  new: number | null;
  /** new - old, null when either side is missing. */
  change: number | null;
}

/**
 * Reads every declared metrics file as it is at `source`. Metrics files are usually committed
 * (like DVC's); when one is not, the digest weft.lock recorded for it is read from the store.
 */
export async function readMetricsAt(
  root: string,
  store: ObjectStore,
  source: MetricsSource,
): Promise<MetricValue[]> {
  const commit = source === 'workspace' ? null : await resolveRevision(root, source.rev);
  const read = (path: string): Promise<string | undefined> =>
    commit === null
      ? readFile(join(root, path), 'utf8').catch(() => undefined)
      : readFileAtRevision(root, commit, path);
  const spec = await read('weft.yaml');
  if (spec === undefined) return [];
  const { parsePipeline } = await import('../spec/pipeline.js');
  const pipeline = parsePipeline(spec, 'weft.yaml', root);
  const files = pipeline.stages.flatMap((s) => s.metrics);
  const lockText = await read(LOCK_FILE);
  const lock: Lockfile =
    lockText === undefined ? new Map<string, LockedStage>() : parseLockfile(lockText);
  const lockedDigests = new Map(
    [...lock.values()].flatMap((stage) => stage.outs.map((o) => [o.path, o.digest] as const)),
  );
  const all = await Promise.all(
    files.map(async (file) => {
      let text = await read(file);
      const digest = lockedDigests.get(file);
      if (text === undefined && digest && (await store.has(digest))) {
        text = (await store.readBytes(digest)).toString('utf8');
      }
      return text === undefined ? [] : await extractMetrics(file, text);
    }),
  );
  return all.flat();
}

/** Pairs metrics by file and key; rows are sorted for stable output. */
export function diffMetrics(before: MetricValue[], after: MetricValue[]): MetricDelta[] {
  const id = (m: MetricValue): string => `${m.file}\u0000${m.key}`;
  const rows = new Map<string, MetricDelta>();
  for (const m of before)
    rows.set(id(m), { file: m.file, key: m.key, old: m.value, new: null, change: null });
  for (const m of after) {
    const row = rows.get(id(m)) ?? { file: m.file, key: m.key, old: null, new: null, change: null };
    row.new = m.value;
    rows.set(id(m), row);
  }
  for (const row of rows.values()) {
    if (row.old !== null && row.new !== null) row.change = row.new - row.old;
  }
  return [...rows.values()].sort((a, b) =>
    a.file === b.file ? (a.key < b.key ? -1 : 1) : a.file < b.file ? -1 : 1,
  );
}
