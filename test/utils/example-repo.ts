import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The weft checkout these tests run from (test/utils/ is two levels below it). */
const PROJECT_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** Local weft state or dependencies a developer may have left in the example folder. */
const NEVER_COPIED = new Set(['node_modules', '.weft']);

export interface ExampleRepo {
  /** Absolute path of the repository's work tree. */
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * Runs the real git CLI in `dir` (no shell) and returns its stdout. A failure names the command
 * and carries git's stderr.
 */
export async function git(dir: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd: dir, maxBuffer: 64 << 20 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new Error(`failed to run git ${args.join(' ')} in ${dir}: ${stderr}`, { cause: error });
  }
}

/**
 * Creates a fresh Git repository holding examples/<example> (default `penguins`) as a user
 * would have it after cloning and `npm install`: one commit `initial` on `main` with the
 * example's tracked files, no ignored leftovers, and the project's node_modules symlinked in so
 * the stage scripts can import their dependencies.
 */
export async function createExampleRepo(options: { example?: string } = {}): Promise<ExampleRepo> {
  const example = options.example ?? 'penguins';
  const source = join(PROJECT_ROOT, 'examples', example);
  // realpath: on some systems tmpdir() is itself a symlink, and git prints resolved paths.
  const dir = await realpath(await mkdtemp(join(tmpdir(), `weft-example-${example}-`)));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(source, dir, {
      recursive: true,
      filter: (path) => !NEVER_COPIED.has(basename(path)),
    });
    await initRepo(dir);
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    return { dir, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * deploy/penguins.yaml serving `version` of the example's model; `spec` (indented YAML lines,
 * each ending in a newline) adds a strategy, an analysis and so on.
 */
export const penguinsDeployment = (version: number, spec = ''): string =>
  `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: penguins }\nspec:\n  model: { name: penguins, version: ${version} }\n${spec}`;

/**
 * The example repository with `deployment` committed as deploy/penguins.yaml on top of `initial`
 * (commit `message`): what a user has once they declare a deployment for `weft up`.
 */
export async function createDeployedExampleRepo(
  deployment: string,
  message: string,
): Promise<ExampleRepo> {
  const repo = await createExampleRepo();
  try {
    await mkdir(join(repo.dir, 'deploy'));
    await writeFile(join(repo.dir, 'deploy/penguins.yaml'), deployment);
    await git(repo.dir, 'add', '-A');
    await git(repo.dir, 'commit', '-qm', message);
    return repo;
  } catch (error) {
    await repo.cleanup();
    throw error;
  }
}

async function initRepo(dir: string): Promise<void> {
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Weft Test');
  await git(dir, 'config', 'user.email', 'test@weft.invalid');
  // A developer's global config must not make the commit fail or wait for a passphrase.
  await git(dir, 'config', 'commit.gpgsign', 'false');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'initial');
  // Stage outputs left in the example folder by a run in place are ignored, so a clone would not
  // have them either; removing them makes every test start from the committed state.
  await git(dir, 'clean', '-q', '-f', '-d', '-X');
}
