import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { WeftError } from '../core/errors.js';

/**
 * One `weft run` per workspace at a time: two runs would write the same outputs. A crashed
 * run's lock is taken over at once when its process is gone, else after a few seconds.
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

const STALE_MS = 10_000;

async function lockState(
  weftDir: string,
  file: string,
  busyMessage: string,
): Promise<() => Promise<void>> {
  await mkdir(weftDir, { recursive: true });
  const lockfilePath = join(weftDir, file);
  const ownerPath = `${lockfilePath}.owner`;
  const lock = () => lockfile.lock(weftDir, { lockfilePath, stale: STALE_MS, retries: 0 });
  try {
    const release = await lock().catch(async (error: unknown) => {
      if (!isLocked(error) || !(await isOwnerGone(ownerPath))) throw error;
      // A killed holder cannot release: age its lock so the library treats it as stale.
      const past = new Date(Date.now() - 2 * STALE_MS);
      await utimes(lockfilePath, past, past).catch(() => undefined);
      return lock();
    });
    await writeFile(ownerPath, JSON.stringify({ pid: process.pid, host: hostname() }));
    return release;
  } catch (error) {
    if (!isLocked(error)) throw error;
    throw new WeftError('LOCKED', busyMessage, { cause: error });
  }
}

function isLocked(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ELOCKED';
}

/** The holder ran on this host and its process no longer exists. */
async function isOwnerGone(ownerPath: string): Promise<boolean> {
  const owner = await readFile(ownerPath, 'utf8').then(
    (text) => JSON.parse(text) as { pid?: unknown; host?: unknown },
    () => undefined,
  );
  if (!owner || owner.host !== hostname() || typeof owner.pid !== 'number') return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
