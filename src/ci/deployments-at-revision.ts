import { posix } from 'node:path';
import { runGit } from '../source/git.js';
import {
  collectDeployments,
  DEFAULT_DEPLOY_DIR,
  isDeployFileName,
  type DeployFile,
} from '../spec/deployment-files.js';
import type { DeploymentSet } from '../spec/deployment-types.js';

/**
 * The deployments `dir` held at `commit`, read from Git's objects (no checkout), with the same
 * rules as readDeployments reads a work tree: `*.yaml`/`*.yml` directly in it, no dotfiles, a
 * symbolic link or directory is a problem. A commit without the directory holds none.
 */
export async function readDeploymentsAtRevision(
  root: string,
  commit: string,
  dir = DEFAULT_DEPLOY_DIR,
): Promise<DeploymentSet> {
  const listing = await runGit(root, ['ls-tree', '-z', commit, '--', `${dir}/`]);
  const files: DeployFile[] = [];
  // Each entry: "<mode> <type> <object>\t<path>", NUL-terminated; git sorts them by path.
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    const [, mode, type, object, path = ''] = match;
    if (!isDeployFileName(posix.basename(path))) continue;
    const file = posix.join(dir, posix.basename(path));
    const regular = type === 'blob' && (mode === '100644' || mode === '100755');
    files.push(
      regular ? { file, text: await runGit(root, ['cat-file', 'blob', object ?? '']) } : { file },
    );
  }
  return collectDeployments(files);
}
