import { mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Digest } from '../core/digest.js';
import { describeError, isWeftError, WeftError } from '../core/errors.js';
import { mapConcurrent } from './concurrency.js';
import { makeTempName, type StoreLayout } from './layout.js';
import { copyVerified } from './read-object.js';
import { errnoOf, removeQuietly } from './store-io.js';
import type { ManifestEntry, PathDigest } from './types.js';

const WORKSPACE_FILE_MODE = 0o644;
const RESTORE_CONCURRENCY = 8;

/**
 * Puts a stored file or directory at `destAbs`. Everything is first written (and verified)
 * next to the destination, then renamed into place: a corrupt or missing object, or a full
 * disk, leaves whatever was at `destAbs` untouched.
 */
export async function restoreEntry(
  layout: StoreLayout,
  entry: PathDigest,
  destAbs: string,
  readManifest: (digest: Digest) => Promise<ManifestEntry[]>,
): Promise<void> {
  const staged = join(dirname(destAbs), `.${basename(destAbs)}.weft-${makeTempName()}`);
  try {
    await mkdir(dirname(destAbs), { recursive: true });
    if (entry.kind === 'file') {
      await copyVerified(layout, entry.digest, staged, WORKSPACE_FILE_MODE);
    } else {
      await stageDir(layout, await readManifest(entry.digest), staged);
    }
    await swapIn(staged, destAbs);
  } catch (error) {
    await removeQuietly(staged);
    throw toRestoreError(destAbs, error);
  }
}

async function stageDir(
  layout: StoreLayout,
  manifest: readonly ManifestEntry[],
  stagedDir: string,
): Promise<void> {
  await mkdir(stagedDir);
  // Parents first, one at a time, so the parallel copies below never race on mkdir.
  const parents = new Set(manifest.map((file) => dirname(file.path)).filter((dir) => dir !== '.'));
  for (const dir of [...parents].sort()) await mkdir(join(stagedDir, dir), { recursive: true });
  await mapConcurrent(manifest, RESTORE_CONCURRENCY, (file) =>
    copyVerified(layout, file.digest, join(stagedDir, file.path), WORKSPACE_FILE_MODE),
  );
}

/**
 * rename() replaces a file atomically but refuses a non-empty directory, so an existing
 * directory (or a file where a directory goes) is first moved aside, then deleted.
 */
async function swapIn(staged: string, destAbs: string): Promise<void> {
  try {
    await rename(staged, destAbs);
    return;
  } catch (error) {
    if (!['EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EEXIST'].includes(errnoOf(error) ?? '')) throw error;
  }
  const old = join(dirname(destAbs), `.${basename(destAbs)}.weft-old-${makeTempName()}`);
  await rename(destAbs, old);
  try {
    await rename(staged, destAbs);
  } catch (error) {
    await rename(old, destAbs).catch(() => undefined);
    throw error;
  }
  await removeQuietly(old);
}

function toRestoreError(destAbs: string, error: unknown): WeftError {
  if (isWeftError(error)) return error;
  return new WeftError('STORE_IO', `failed to restore ${destAbs}: ${describeError(error)}`, {
    cause: error,
  });
}
