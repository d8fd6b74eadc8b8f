import type { Digest } from '../core/digest.js';
import type { ObjectStore } from './object-store.js';
import type { RunCacheEntry, StoredObject } from './types.js';

export interface GcOptions {
  /** Report what would go without deleting anything. */
  dryRun?: boolean;
  /** Temp files older than this are leftovers of killed writers. Default one hour. */
  staleTempMs?: number;
  /** The clock, for tests. */
  nowMs?: number;
}

export interface GcResult {
  /** Objects deleted (or, on a dry run, that would be). */
  removed: StoredObject[];
  bytes: number;
  runCacheEntriesRemoved: number;
  kept: number;
  tempFilesRemoved: number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Deletes every object not reachable from `referenced`; a referenced directory manifest keeps
 * the files it lists. Run-cache entries that would point at deleted objects go too, since a
 * hit on them could not be restored. Callers must hold the store lock: an object written by a
 * concurrent run but not yet referenced would be collected.
 */
export async function collectGarbage(
  store: ObjectStore,
  referenced: Iterable<Digest>,
  options: GcOptions = {},
): Promise<GcResult> {
  const { dryRun = false, staleTempMs = HOUR_MS, nowMs = Date.now() } = options;
  const reachable = await expandReferences(store, referenced);
  const removed: StoredObject[] = [];
  const survivors = new Set<Digest>();
  for await (const object of store.list()) {
    if (reachable.has(object.digest)) survivors.add(object.digest);
    else removed.push(object);
  }
  if (!dryRun) for (const object of removed) await store.remove(object.digest);
  const runCacheEntriesRemoved = await pruneRunCache(store, survivors, dryRun);
  const tempFilesRemoved = dryRun ? 0 : await store.removeStaleTemp(nowMs - staleTempMs);
  const bytes = removed.reduce((sum, object) => sum + object.size, 0);
  return { removed, bytes, runCacheEntriesRemoved, kept: survivors.size, tempFilesRemoved };
}

async function expandReferences(
  store: ObjectStore,
  referenced: Iterable<Digest>,
): Promise<Set<Digest>> {
  const reachable = new Set<Digest>();
  for (const digest of referenced) {
    if (reachable.has(digest)) continue;
    reachable.add(digest);
    const manifest = await store.probeManifest(digest);
    for (const file of manifest ?? []) reachable.add(file.digest);
  }
  return reachable;
}

/** Removes run-cache entries whose outputs are not all still in the store. */
async function pruneRunCache(
  store: ObjectStore,
  survivors: ReadonlySet<Digest>,
  dryRun: boolean,
): Promise<number> {
  const dirIsWhole = new Map<Digest, boolean>();
  const isPresent = async (out: RunCacheEntry['outs'][number]): Promise<boolean> => {
    if (!survivors.has(out.digest)) return false;
    if (out.kind === 'file') return true;
    let whole = dirIsWhole.get(out.digest);
    if (whole === undefined) {
      const manifest = await store.readManifest(out.digest);
      whole = manifest.every((file) => survivors.has(file.digest));
      dirIsWhole.set(out.digest, whole);
    }
    return whole;
  };
  let removed = 0;
  for await (const entry of store.listRunCache()) {
    const present = await Promise.all(entry.outs.map(isPresent));
    if (present.every(Boolean)) continue;
    if (!dryRun) await store.removeRunCache(entry.key);
    removed += 1;
  }
  return removed;
}
