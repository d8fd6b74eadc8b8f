import type { Digest } from '../core/digest.js';
import { LOCK_FILE, parseLockfile, readLockfile, type Lockfile } from '../plan/lockfile.js';
import type { MetadataStore } from '../registry/types.js';
import { readFileAtRevision, runGit } from '../source/git.js';

/**
 * What garbage collection must keep. Safe by default (dvc#2325): the working tree's weft.lock,
 * weft.lock at every commit of every branch and tag, and what recorded runs refer to
 * (`keepRuns` limits that to the newest N runs; 0 keeps none).
 */
export async function collectReferences(
  root: string,
  metadata: MetadataStore,
  options: { keepRuns?: number } = {},
): Promise<Set<Digest>> {
  const references = new Set<Digest>();
  const addLock = (lock: Lockfile): void => {
    for (const stage of lock.values()) for (const out of stage.outs) references.add(out.digest);
  };
  addLock(await readLockfile(root));
  for (const lock of await readLocksInHistory(root)) addLock(lock);
  if (options.keepRuns !== 0) {
    const fromRuns = await metadata.referencedDigests(
      options.keepRuns === undefined ? {} : { keepRuns: options.keepRuns },
    );
    for (const digest of fromRuns) references.add(digest);
  }
  return references;
}

async function readLocksInHistory(root: string): Promise<Lockfile[]> {
  let commits: string[];
  try {
    const log = await runGit(root, ['log', '--all', '--format=%H', '--', LOCK_FILE]);
    commits = log.split('\n').filter(Boolean);
  } catch {
    return []; // Not a Git repository, or no commits yet.
  }
  const locks = await Promise.all(
    commits.map(async (commit) => {
      const text = await readFileAtRevision(root, commit, LOCK_FILE);
      try {
        return text === undefined ? [] : [parseLockfile(text)];
      } catch {
        return []; // A malformed lock in history references nothing we could restore.
      }
    }),
  );
  return locks.flat();
}
