import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WeftError } from '../core/errors.js';

const execFileAsync = promisify(execFile);

/** Runs the git CLI in `cwd`; failures carry git's own stderr. */
export async function runGit(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd, maxBuffer: 64 << 20 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new WeftError(
      'GIT_FAILED',
      `failed to run git ${args[0] ?? ''}: ${stderr || String(error)}`,
      {
        cause: error,
      },
    );
  }
}

export interface WorkspaceCommit {
  /** Full sha of HEAD, null before the first commit. */
  commit: string | null;
  branch: string | null;
  /** Tracked files differ from HEAD (untracked files do not count, as in `git describe --dirty`). */
  dirty: boolean;
  /** Who runs: git's user.name <user.email>, when configured. */
  author: string | null;
}

/** Describes the checkout at `root`; outside a Git repository everything is null. */
export async function describeWorkspace(root: string): Promise<WorkspaceCommit> {
  const [status, author] = await Promise.all([
    runGit(root, ['status', '--porcelain=v2', '--branch', '--untracked-files=no']).catch(
      () => null,
    ),
    readGitAuthor(root),
  ]);
  if (status === null) return { commit: null, branch: null, dirty: false, author };
  let commit: string | null = null;
  let branch: string | null = null;
  let dirty = false;
  for (const line of status.split('\n')) {
    if (line.startsWith('# branch.oid ')) commit = nullIf(line.slice(13), '(initial)');
    else if (line.startsWith('# branch.head ')) branch = nullIf(line.slice(14), '(detached)');
    else if (line !== '' && !line.startsWith('#')) dirty = true;
  }
  return { commit, branch, dirty, author };
}

async function readGitAuthor(root: string): Promise<string | null> {
  const [name, email] = await Promise.all([
    runGit(root, ['config', 'user.name']).catch(() => ''),
    runGit(root, ['config', 'user.email']).catch(() => ''),
  ]);
  const who = [name.trim(), email.trim() ? `<${email.trim()}>` : ''].filter(Boolean).join(' ');
  return who || null;
}

function nullIf(value: string, sentinel: string): string | null {
  return value === sentinel ? null : value;
}

/** The repository's top-level directory, or null when `cwd` is not inside one. */
export async function findRepoRoot(cwd: string): Promise<string | null> {
  try {
    return (await runGit(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return null;
  }
}

/** Resolves a revision (`HEAD~1`, a branch, a tag, a sha) to a full commit sha. */
export async function resolveRevision(root: string, rev: string): Promise<string> {
  try {
    return (await runGit(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
  } catch (error) {
    throw new WeftError('NOT_FOUND', `failed to resolve revision ${rev}: no such commit`, {
      cause: error,
    });
  }
}

/** Contents of `path` at `commit`, or undefined when the file is not in that commit. */
export async function readFileAtRevision(
  root: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  try {
    return await runGit(root, ['show', `${commit}:${path}`]);
  } catch {
    return undefined;
  }
}
