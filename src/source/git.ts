import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { WeftError } from '../core/errors.js';

const execFileAsync = promisify(execFile);

export interface RunGitOptions {
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Kills git after this long; the failure's cause then has `killed: true`. */
  timeoutMs?: number;
}

/** Runs the git CLI in `cwd`; failures carry git's own stderr. */
export async function runGit(
  cwd: string,
  args: string[],
  options: RunGitOptions = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, {
      cwd,
      maxBuffer: 64 << 20,
      env: options.env && { ...process.env, ...options.env },
      timeout: options.timeoutMs,
    });
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

/** `Name <email>` as git would write it for a commit now (config and GIT_AUTHOR_* alike). */
async function readGitAuthor(root: string): Promise<string | null> {
  const ident = await runGit(root, ['var', 'GIT_AUTHOR_IDENT']).catch(() => '');
  // The ident ends with a timestamp and a zone: "Name <email> 1700000000 +0000".
  return ident.trim().replace(/\s+\d+\s+[-+]\d{4}$/, '') || null;
}

function nullIf(value: string, sentinel: string): string | null {
  return value === sentinel ? null : value;
}

/**
 * The work tree's top-level directory (the nearest ancestor holding `.git`, a directory or,
 * in linked worktrees and submodules, a file), or null outside one. Looked up on the
 * filesystem: spawning git for it would cost more than a whole no-op run's planning.
 */
export function findRepoRoot(cwd: string): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
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

/** The URL of a remote (default `origin`), or undefined when the repository has none. */
export async function readRemoteUrl(root: string, remote = 'origin'): Promise<string | undefined> {
  try {
    return (await runGit(root, ['remote', 'get-url', remote])).trim() || undefined;
  } catch {
    return undefined;
  }
}
