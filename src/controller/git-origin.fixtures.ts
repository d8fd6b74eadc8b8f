import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit } from '../source/git.js';

// Git repositories for the tests of what the controller commits and pushes (follow bumps,
// reverts): an origin with history on `main`, and the controller's clone of it.

/** A new repository at `repo` on branch `main`, with nothing committed yet. */
export async function initRepo(repo: string): Promise<void> {
  await runGit(dirname(repo), ['init', '--quiet', '-b', 'main', repo]);
}

/** Writes `files` (path → text) into `repo` and commits everything; returns the new commit. */
export async function commitFiles(
  repo: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), text);
  }
  await runGit(repo, ['add', '-A']);
  // The author is given here, so a machine without a git identity can commit too.
  await runGit(repo, [
    '-c',
    'user.name=A',
    '-c',
    'user.email=a@x',
    'commit',
    '--quiet',
    '-m',
    message,
  ]);
  return (await runGit(repo, ['rev-parse', 'HEAD'])).trim();
}

/** The working clone the controller commits from, made without a checkout as its own is. */
export async function cloneForController(origin: string, work: string): Promise<void> {
  await runGit(dirname(work), ['clone', '--quiet', '--no-checkout', origin, work]);
}
