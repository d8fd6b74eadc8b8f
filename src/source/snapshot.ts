import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { publishDir, pathExists, readdirIfAny, removeTempEntries } from './atomic-dir.js';
import { runGit, type RunGitOptions } from './git.js';

export interface CommitInfo {
  /** `Name <email>` of the commit's author. */
  author: string;
  /** The full commit message, without its trailing newline. */
  message: string;
  /** Committer date, ISO 8601 with the committer's offset. */
  committedAt: string;
}

/**
 * The tree of `commit` as plain files in `<snapshotsDir>/<commit>`, made once and never written
 * again: a commit's tree cannot change, so an existing snapshot is reused as it is.
 */
export async function materializeSnapshot(
  repoDir: string,
  snapshotsDir: string,
  commit: string,
  options: RunGitOptions,
): Promise<string> {
  const dir = join(snapshotsDir, commit);
  if (await pathExists(dir)) return dir;
  await publishDir(dir, async (tempDir) => {
    // A private index: the bare cache has none of its own, and a shared one would race.
    const index = `${tempDir}.index`;
    const env = { ...options.env, GIT_INDEX_FILE: index };
    try {
      // read-tree -u writes the exact tree (modes, symlinks), unlike `git archive`, which
      // honours export-ignore and export-subst.
      await runGit(repoDir, ['--work-tree', tempDir, 'read-tree', '-m', '-u', commit], {
        ...options,
        env,
      });
    } finally {
      await rm(index, { force: true });
    }
  });
  return dir;
}

export async function readCommitInfo(
  repoDir: string,
  commit: string,
  options: RunGitOptions,
): Promise<CommitInfo> {
  const format = '--format=%an <%ae>%x00%cI%x00%B';
  const args = ['log', '-1', '--no-show-signature', format, `${commit}^{commit}`, '--'];
  const [author = '', committedAt = '', message = ''] = (
    await runGit(repoDir, args, options)
  ).split('\0');
  return { author, committedAt, message: message.replace(/\n+$/, '') };
}

/**
 * Deletes every snapshot whose commit is not in `keep`, and whatever interrupted checkouts
 * left behind. Returns the commits removed.
 */
export async function removeSnapshots(
  snapshotsDir: string,
  keep: readonly string[],
): Promise<string[]> {
  await removeTempEntries(snapshotsDir);
  const kept = new Set(keep);
  const stale = (await readdirIfAny(snapshotsDir)).filter((name) => !kept.has(name));
  await Promise.all(stale.map((name) => rm(join(snapshotsDir, name), { recursive: true })));
  return stale;
}
