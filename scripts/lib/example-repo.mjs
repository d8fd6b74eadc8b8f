// Git repositories for `weft up` to deploy from, as the controller benchmarks and
// `npm run example` make them: the built CLI, the bundled example copied as a user has it,
// and the deploy/*.yaml that names a registered model.
import { execFileSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The weft checkout (scripts/lib/ is two levels below it). */
export const PROJECT_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
/** The built CLI: `npm run build` first. */
export const WEFT_CLI = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');

/**
 * Copies examples/<example> to `target` as a user has it after cloning and `npm install`: no
 * local state (.weft, node_modules) from a run in place, the project's node_modules linked in
 * for the stage scripts' imports.
 */
export function copyExample(target, example = 'penguins') {
  cpSync(join(PROJECT_ROOT, 'examples', example), target, {
    recursive: true,
    filter: (path) => !/[/\\](node_modules|\.weft)$/.test(path),
  });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(target, 'node_modules'), 'dir');
}

/** deploy/<name>.yaml serving `version` of model `name`; further `spec` lines may follow it. */
export const deploymentYaml = (name, version) =>
  `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: ${name} }\nspec:\n  model: { name: ${name}, version: ${version} }\n`;

/** git in `cwd` as the benchmarks' author: `(...args) => stdout`. */
export const createBenchGit =
  (cwd) =>
  (...args) =>
    execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@weft.dev', ...args], {
      cwd,
      encoding: 'utf8',
    });
