import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

export interface WeftProcess {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output: () => string;
  /** Resolves with the first match of `pattern` in the output; fails if it exits first. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
}

/**
 * A long-running `weft` (serve, up) in `cwd`, its output collected. `detached` puts it in a
 * process group of its own, so a test can kill it together with the processes it started.
 */
export function startWeft(
  cwd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): WeftProcess {
  const child = spawn(process.execPath, [WEFT_BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    detached: options.detached ?? false,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(output);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${output}`);
      if (child.exitCode !== null) throw new Error(`weft exited ${child.exitCode}:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, output: () => output, waitFor };
}
