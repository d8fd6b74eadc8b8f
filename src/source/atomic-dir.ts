import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Names of directories (and their side files) still being built; never read as results. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Builds a directory under a temporary sibling name and renames it into place, so `target`
 * either does not exist or is complete: a crash mid-build leaves only a `.tmp-*` sibling, which
 * nothing reads and removeTempEntries deletes. A writer that loses a race to another one uses
 * the winner's copy.
 */
export async function publishDir(
  target: string,
  build: (tempDir: string) => Promise<void>,
): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const temp = join(dirname(target), `${TEMP_PREFIX}${basename(target)}-${suffix}`);
  try {
    await mkdir(temp, { recursive: true });
    await build(temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (!(await pathExists(target))) throw error;
  }
}

/** Removes what interrupted builds left in `parent`; returns their names. */
export async function removeTempEntries(parent: string): Promise<string[]> {
  const leftovers = (await readdirIfAny(parent)).filter((name) => name.startsWith(TEMP_PREFIX));
  await Promise.all(
    leftovers.map((name) => rm(join(parent, name), { recursive: true, force: true })),
  );
  return leftovers;
}

export async function readdirIfAny(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
