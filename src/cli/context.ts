import type { Command } from 'commander';
import { resolveConfig, type ResolvedConfig } from '../app/config.js';
import { describeWorkspace, findRepoRoot } from '../source/git.js';
import { resolve } from 'node:path';

interface GlobalOptions {
  cwd?: string;
  store?: string;
  database?: string;
}

/**
 * The workspace root is the Git top level when there is one (so `weft run` works from any
 * subdirectory, like git), else the directory weft was started in.
 */
export function resolveCommandConfig(
  command: Command,
  flags: { jobs?: string } = {},
): Readonly<ResolvedConfig> {
  const global = command.optsWithGlobals<GlobalOptions>();
  const cwd = resolve(global.cwd ?? process.cwd());
  const root = findRepoRoot(cwd) ?? cwd;
  return resolveConfig(root, process.env, {
    ...(flags.jobs === undefined ? {} : { jobs: flags.jobs }),
    ...(global.store === undefined ? {} : { store: global.store }),
    ...(global.database === undefined ? {} : { database: global.database }),
  });
}

/** Who a recorded change is by: WEFT_ACTOR, else the Git author of the workspace. */
export async function resolveActor(config: Readonly<ResolvedConfig>): Promise<string> {
  return config.actor ?? (await describeWorkspace(config.root)).author ?? 'unknown';
}
