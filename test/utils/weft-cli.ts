import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from './example-repo.js';

const PROJECT_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const WEFT_BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');

export interface WeftResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `weft` CLI in `cwd` as a user would, never throwing on a non-zero exit. */
export function weft(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<WeftResult> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [WEFT_BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

export interface TempRepo {
  dir: string;
  write(path: string, text: string): Promise<void>;
  commit(message: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** A fresh Git repository in a temp dir holding `files`, committed once. */
export async function createRepo(files: Record<string, string>): Promise<TempRepo> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'weft-e2e-')));
  const write = async (path: string, text: string): Promise<void> => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Test User');
  await git(dir, 'config', 'user.email', 'test@example.com');
  await write('.gitignore', '.weft/\n');
  for (const [path, text] of Object.entries(files)) await write(path, text);
  const commit = async (message: string): Promise<string> => {
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
    return (await git(dir, 'rev-parse', 'HEAD')).trim();
  };
  await commit('initial');
  return { dir, write, commit, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
