import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { WeftError } from '../core/errors.js';

/**
 * One `weft run` per workspace at a time: two runs would write the same outputs. A crashed
 * run's lock goes stale after a few seconds instead of needing a manual cleanup.
 */
export function lockWorkspace(weftDir: string): Promise<() => Promise<void>> {
  return lockState(
    weftDir,
    'run.lock',
    'failed to start run: another weft run is using this workspace; wait for it to finish',
  );
}

/** One controller (`weft up`) per workspace: two would fight over what is served. */
export function lockController(weftDir: string): Promise<() => Promise<void>> {
  return lockState(
    weftDir,
    'controller.lock',
    'failed to start weft up: another weft up is running on this workspace',
  );
}

async function lockState(
  weftDir: string,
  file: string,
  busyMessage: string,
): Promise<() => Promise<void>> {
  await mkdir(weftDir, { recursive: true });
  try {
    return await lockfile.lock(weftDir, {
      lockfilePath: join(weftDir, file),
      stale: 10_000,
      retries: 0,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new WeftError('LOCKED', busyMessage, { cause: error });
  }
}
