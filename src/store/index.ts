/** The content-addressed artifact store: objects, directory manifests, run cache, stat cache, gc. */
export type { EntryKind, ManifestEntry, PathDigest, RunCacheEntry, StoredObject } from './types.js';
export { ObjectStore, openObjectStore, type ObjectStoreOptions } from './object-store.js';
export { type WarningSink } from './run-cache.js';
export {
  StatCache,
  isRacilyClean,
  RACY_WINDOW_MS,
  type StatCacheEntry,
  type StatCacheOptions,
} from './stat-cache.js';
export { hashPath, normalizeRelPath } from './hash-path.js';
export { prepareHashPool } from './hash-pool.js';
export { hashFile, type HashedFile } from './hash-file.js';
export { collectGarbage, type GcOptions, type GcResult } from './gc.js';
export { digestManifest, serializeManifest, parseManifest } from './manifest.js';
export { listDirFiles, type DirFile } from './walk.js';
