import { isWeftError } from '../core/errors.js';
import { resolveRevision, runGit } from '../source/git.js';

/** The revision a change is compared with: what merging it would change. */
export interface BaseRevision {
  commit: string;
  /** How it was chosen, for the report: `main`, `merge-base with origin/main`, `HEAD~1`. */
  label: string;
}

/**
 * `requested` (`--base`) as it is; else the merge-base of HEAD with the branch the change goes
 * into: `targetBranch` (a pull request's, from the CI environment) or origin's default branch.
 * When HEAD is already on that branch (a push build) or no such branch is fetched, HEAD~1.
 * Null when HEAD has no parent to compare with (the first commit, a shallow clone).
 */
export async function findBaseRevision(
  root: string,
  options: { requested?: string; targetBranch?: string } = {},
): Promise<BaseRevision | null> {
  if (options.requested !== undefined) {
    return { commit: await resolveRevision(root, options.requested), label: options.requested };
  }
  const head = await resolveOptional(root, 'HEAD');
  if (!head) return null;
  const branch = await findTargetBranch(root, options.targetBranch);
  if (branch) {
    const mergeBase = (await runGit(root, ['merge-base', 'HEAD', branch]).catch(() => '')).trim();
    if (mergeBase !== '' && mergeBase !== head) {
      return { commit: mergeBase, label: `merge-base with ${branch}` };
    }
  }
  const parent = await resolveOptional(root, 'HEAD~1');
  return parent ? { commit: parent, label: 'HEAD~1' } : null;
}

/** `origin/<target>` when fetched, else origin's default branch (origin/HEAD, main, master). */
async function findTargetBranch(root: string, target?: string): Promise<string | undefined> {
  const candidates = target ? [`origin/${target}`] : [];
  const originHead = await runGit(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'])
    .then((ref) => ref.trim().replace(/^refs\/remotes\//, ''))
    .catch(() => '');
  if (originHead !== '') candidates.push(originHead);
  candidates.push('origin/main', 'origin/master');
  for (const candidate of candidates) {
    if (await resolveOptional(root, candidate)) return candidate;
  }
  return undefined;
}

async function resolveOptional(root: string, rev: string): Promise<string | undefined> {
  try {
    return await resolveRevision(root, rev);
  } catch (error) {
    if (isWeftError(error, 'NOT_FOUND')) return undefined;
    throw error;
  }
}
