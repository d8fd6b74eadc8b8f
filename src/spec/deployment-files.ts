import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { WeftError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { parseDeploymentSource } from './deployment.js';
import type { DeploymentSet, ResolvedDeployment } from './deployment-types.js';

export const DEFAULT_DEPLOY_DIR = 'deploy';

/**
 * Reads every `<root>/<dir>/*.yaml` and `*.yml` (not subdirectories, not dotfiles) as a
 * ModelDeployment. Problems are returned, not thrown, so one broken file does not hide the
 * others; a name declared twice keeps neither, since which one Git means cannot be told.
 * A missing directory holds no deployments. Files are read in name order, so problems come
 * out in the same order on every machine.
 */
export async function readDeployments(
  root: string,
  dir = DEFAULT_DEPLOY_DIR,
): Promise<DeploymentSet> {
  const files: DeployFile[] = [];
  for (const entry of await listDeployFiles(root, dir)) {
    const file = posix.join(dir, entry.name);
    files.push(entry.isFile() ? { file, text: await readDeployFile(root, file) } : { file });
  }
  return collectDeployments(files);
}

/** One entry of a deploy directory: its text, or none when it is not a regular file. */
export interface DeployFile {
  /** Repo-relative, e.g. `deploy/penguins.yaml`. */
  file: string;
  text?: string;
}

/** Whether a directory entry is read as a deploy file: `*.yaml` or `*.yml`, not a dotfile. */
export function isDeployFileName(name: string): boolean {
  return /^[^.].*\.ya?ml$/.test(name);
}

/**
 * Parses the files of a deploy directory, however they were read (the work tree, or a Git
 * revision): every problem is gathered, duplicate names keep neither declaration, and the
 * deployments come out sorted by name. Pure.
 */
export function collectDeployments(files: readonly DeployFile[]): DeploymentSet {
  const problems: SpecProblem[] = [];
  const parsed: ResolvedDeployment[] = [];
  for (const { file, text } of files) {
    if (text === undefined) {
      const message =
        'not a regular file (a directory or a symbolic link); a deploy file must be a plain file';
      problems.push({ file, line: 1, col: 1, key: '', message });
      continue;
    }
    const { deployment, problems: found } = parseDeploymentSource(text, file);
    problems.push(...found);
    if (deployment) parsed.push(deployment);
  }
  const { unique, duplicates } = rejectDuplicateNames(parsed);
  problems.push(...duplicates);
  unique.sort((a, b) => compareCodeUnits(a.name, b.name));
  return { deployments: unique, problems };
}

async function readDeployFile(root: string, file: string): Promise<string> {
  try {
    return await readFile(join(root, file), 'utf8');
  } catch (error) {
    throw new WeftError('SPEC_INVALID', `failed to read ${file} in ${root}: ${String(error)}`, {
      cause: error,
    });
  }
}

async function listDeployFiles(root: string, dir: string): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new WeftError('SPEC_INVALID', `failed to read ${dir}/ in ${root}: ${String(error)}`, {
      cause: error,
    });
  }
  return entries
    .filter((e) => isDeployFileName(e.name))
    .sort((a, b) => compareCodeUnits(a.name, b.name));
}

/** Each later declaration of a name is reported where it is written, naming the first. */
function rejectDuplicateNames(deployments: ResolvedDeployment[]): {
  unique: ResolvedDeployment[];
  duplicates: SpecProblem[];
} {
  const first = new Map<string, ResolvedDeployment>();
  const duplicates: SpecProblem[] = [];
  for (const deployment of deployments) {
    const earlier = first.get(deployment.name);
    if (earlier === undefined) {
      first.set(deployment.name, deployment);
      continue;
    }
    const { file, line, col } = earlier.location;
    duplicates.push({
      ...deployment.location,
      key: 'metadata.name',
      message: `ModelDeployment "${deployment.name}" is already declared in ${file}:${line}:${col}; each name may be used once in ${posix.dirname(deployment.file)}/`,
    });
  }
  const clashing = new Set(deployments.filter((d) => first.get(d.name) !== d).map((d) => d.name));
  return { unique: [...first.values()].filter((d) => !clashing.has(d.name)), duplicates };
}

/** localeCompare would order names differently on machines with different locales. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
