import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { WeftError } from '../../core/errors.js';
import { findRepoRoot } from '../../source/git.js';
import { PIPELINE_SCHEMA_ID } from '../../spec/schema-id.js';
import { printLine } from '../output.js';

const PARAMS = `# Parameters your stages read; a stage lists the dotted paths it uses (e.g. train.lr),
# and only a change to those re-runs it.
train:
  lr: 0.1
`;

function pipelineTemplate(name: string): string {
  return `# yaml-language-server: $schema=${PIPELINE_SCHEMA_ID}
apiVersion: weft.dev/v1
kind: Pipeline
metadata:
  name: ${name}
spec:
  params: params.yaml
  stages:
    train:
      cmd: echo "replace with your training command" > model.txt
      deps: [params.yaml]
      params: [train]
      outs: [model.txt]
`;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('scaffold weft.yaml and params.yaml into an existing Git repository')
    .option('--force', 'overwrite an existing weft.yaml')
    .action(async (flags: { force?: boolean }, command: Command) => {
      const cwd = resolve(command.optsWithGlobals<{ cwd?: string }>().cwd ?? process.cwd());
      const root = findRepoRoot(cwd);
      if (!root) {
        throw new WeftError(
          'USAGE',
          `failed to init: ${cwd} is not in a Git repository; run \`git init\` first`,
        );
      }
      const name =
        basename(root)
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/^-+|-+$/g, '') || 'pipeline';
      await writeNew(join(root, 'weft.yaml'), pipelineTemplate(name), flags.force === true);
      await writeNew(join(root, 'params.yaml'), PARAMS, true, false);
      await ignoreInGit(root, '.weft/');
      printLine(`Initialized weft in ${root}: edit weft.yaml, then \`weft run\`.`);
    });
}

async function writeNew(
  path: string,
  text: string,
  force: boolean,
  failIfExists = true,
): Promise<void> {
  try {
    await writeFile(path, text, { flag: force && failIfExists ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (failIfExists) {
      throw new WeftError(
        'USAGE',
        `failed to init: ${basename(path)} already exists (use --force to overwrite)`,
      );
    }
  }
}

/** weft's local state (stat cache, default store and database) never belongs in Git. */
async function ignoreInGit(root: string, entry: string): Promise<void> {
  const path = join(root, '.gitignore');
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current.split('\n').some((line) => line.trim() === entry)) return;
  await appendFile(path, `${current && !current.endsWith('\n') ? '\n' : ''}${entry}\n`);
}
