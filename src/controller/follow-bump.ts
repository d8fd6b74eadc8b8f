import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { MetadataStore, ModelVersion } from '../registry/types.js';
import { runGit } from '../source/git.js';
import { CONTROLLER_GIT_IDENTITY } from './git-identity.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';

/**
 * For a deployment that follows a branch: the newest version that passed its gates and was
 * built from a commit of that branch (an ancestor of `tip`), when it is not the one the file
 * already names. Versions built elsewhere (another branch, uncommitted changes) never count.
 */
export async function findFollowBump(
  metadata: MetadataStore,
  repoDir: string,
  tip: string,
  deployment: ResolvedDeployment,
): Promise<ModelVersion | undefined> {
  const { model } = deployment.spec;
  if (!model.follow) return undefined;
  const current = model.ref && 'version' in model.ref ? model.ref.version : 0;
  for (const version of await metadata.listModelVersions(model.name, { limit: 50 })) {
    if (version.version <= current) return undefined;
    if (!version.commit || !(await isAncestor(repoDir, version.commit, tip))) continue;
    if (!model.follow.passedGates || (await passedGates(metadata, version))) return version;
  }
  return undefined;
}

async function isAncestor(repoDir: string, commit: string, tip: string): Promise<boolean> {
  return runGit(repoDir, ['merge-base', '--is-ancestor', commit, tip]).then(
    () => true,
    () => false,
  );
}

async function passedGates(metadata: MetadataStore, version: ModelVersion): Promise<boolean> {
  const [validation] = await metadata.listModelChecks(version.name, version.version, {
    kind: 'validation',
    limit: 1,
  });
  return validation?.passed === true;
}

export interface FollowBump {
  commit: string;
  /** Where it was pushed: the tracked branch, or a proposal branch when that was refused. */
  branch: string;
  direct: boolean;
}

/**
 * Commits `spec.model.version: N` into the deployment's file on the tracked branch and pushes
 * it (Flux image automation's write-back), keeping the file's comments and layout. The next
 * pass sees the new revision and rolls it out like any other commit. A repository that refuses
 * the push (a protected branch, a checked-out working copy) gets the commit on a branch
 * `weft/deploy-<name>-<version>` to merge instead; null when that proposal is already there.
 */
export async function commitFollowBump(options: {
  workDir: string;
  repoDir: string;
  url: string;
  branch: string;
  tip: string;
  deployment: ResolvedDeployment;
  version: number;
}): Promise<FollowBump | null> {
  const { workDir, deployment, version } = options;
  const proposal = `weft/deploy-${deployment.name}-${version}`;
  const proposed = await runGit(workDir, ['ls-remote', '--heads', options.url, proposal]);
  if (proposed.trim() !== '') return null;
  await runGit(workDir, ['fetch', '--quiet', options.repoDir, options.tip]);
  await runGit(workDir, ['checkout', '--quiet', '--force', '-B', 'weft/follow', options.tip]);
  const file = join(workDir, deployment.file);
  const document = parseDocument(await readFile(file, 'utf8'));
  document.setIn(['spec', 'model', 'version'], version);
  await writeFile(file, document.toString());
  await runGit(workDir, ['add', '--', deployment.file]);
  const message = `weft: deploy ${deployment.spec.model.name}@${version} (follows ${deployment.spec.model.follow?.branch ?? options.branch})`;
  await runGit(workDir, [...CONTROLLER_GIT_IDENTITY, 'commit', '--quiet', '-m', message]);
  const commit = (await runGit(workDir, ['rev-parse', 'HEAD'])).trim();
  try {
    await runGit(workDir, ['push', '--quiet', options.url, `HEAD:refs/heads/${options.branch}`]);
    return { commit, branch: options.branch, direct: true };
  } catch {
    await runGit(workDir, [
      'push',
      '--quiet',
      '--force',
      options.url,
      `HEAD:refs/heads/${proposal}`,
    ]);
    return { commit, branch: proposal, direct: false };
  }
}
