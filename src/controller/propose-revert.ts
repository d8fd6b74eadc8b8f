import { runGit } from '../source/git.js';
import { CONTROLLER_GIT_IDENTITY } from './git-identity.js';
import { redactCredentials } from '../source/source-errors.js';

export interface RevertProposal {
  branch: string;
  commit: string;
}

/**
 * After a rollback, Git must stop asking for the bad model, or the next reconcile would roll it
 * out again: this commits the revert of every commit after the last good revision on a branch
 * `weft/revert-<commit>` and pushes it to the source, for a human to merge (Flux image
 * automation's way of writing back). Returns null when there is nothing to revert.
 */
export async function proposeRevert(options: {
  /** A working clone the controller owns (its build checkout). */
  workDir: string;
  /** The source's fetched objects. */
  repoDir: string;
  /** Where to push the branch. */
  url: string;
  goodCommit: string;
  badCommit: string;
}): Promise<RevertProposal | null> {
  const { workDir, goodCommit, badCommit } = options;
  if (goodCommit === badCommit) return null;
  const branch = `weft/revert-${badCommit.slice(0, 12)}`;
  await runGit(workDir, ['fetch', '--quiet', options.repoDir, badCommit]);
  await runGit(workDir, ['checkout', '--quiet', '--force', '-B', branch, badCommit]);
  try {
    await runGit(workDir, [
      ...CONTROLLER_GIT_IDENTITY,
      'revert',
      '--no-edit',
      `${goodCommit}..${badCommit}`,
    ]);
  } catch (error) {
    await runGit(workDir, ['revert', '--abort']).catch(() => undefined);
    throw new Error(
      `failed to revert ${goodCommit.slice(0, 10)}..${badCommit.slice(0, 10)}: ${redactCredentials(String((error as Error).message))}`,
    );
  }
  const commit = (await runGit(workDir, ['rev-parse', 'HEAD'])).trim();
  await runGit(workDir, ['push', '--quiet', '--force', options.url, `HEAD:refs/heads/${branch}`]);
  return { branch, commit };
}
