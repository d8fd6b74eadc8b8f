import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepo, type TempRepo } from '../../test/utils/weft-cli.js';
import { git } from '../../test/utils/example-repo.js';
import { readDeployments } from '../spec/deployment-files.js';
import { readDeploymentsAtRevision } from './deployments-at-revision.js';

function deployment(name: string, version: number): string {
  return `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: ${name} }\nspec:\n  model: { name: penguins, version: ${version} }\n`;
}

let repo: TempRepo;
beforeEach(async () => {
  repo = await createRepo({
    'deploy/b.yaml': deployment('beta', 1),
    'deploy/a.yml': deployment('alpha', 1),
    'deploy/.hidden.yaml': 'not: read',
    'deploy/README.md': '# not a deployment',
    'deploy/nested/c.yaml': 'not: read either',
    'deploy/broken.yaml':
      'apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: x }\nspec: {}\n',
  });
});
afterEach(async () => repo.cleanup());

describe('readDeploymentsAtRevision', () => {
  it('reads deploy/ of a commit as readDeployments reads the same files in a work tree', async () => {
    const first = (await git(repo.dir, 'rev-parse', 'HEAD')).trim();
    await repo.write('deploy/b.yaml', deployment('beta', 2));
    await repo.commit('bump beta');
    const atFirst = await readDeploymentsAtRevision(repo.dir, first);
    expect(atFirst.deployments.map((d) => [d.name, d.file, d.spec.model.ref])).toEqual([
      ['alpha', 'deploy/a.yml', { version: 1 }],
      ['beta', 'deploy/b.yaml', { version: 1 }],
    ]);
    const atHead = await readDeploymentsAtRevision(repo.dir, 'HEAD');
    expect(atHead).toEqual(await readDeployments(repo.dir));
    expect(atHead.problems.map((p) => p.file)).toEqual(['deploy/broken.yaml']);
  });

  it('reports a symbolic link as a problem, like the work tree reader', async () => {
    await git(repo.dir, 'rm', '-q', 'deploy/broken.yaml');
    await git(repo.dir, 'commit', '-qm', 'drop broken');
    const { symlink } = await import('node:fs/promises');
    await symlink('a.yml', `${repo.dir}/deploy/link.yaml`);
    await repo.commit('a link');
    const { problems } = await readDeploymentsAtRevision(repo.dir, 'HEAD');
    expect(problems).toEqual((await readDeployments(repo.dir)).problems);
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      [
        'deploy/link.yaml',
        'not a regular file (a directory or a symbolic link); a deploy file must be a plain file',
      ],
    ]);
  });

  it('finds no deployments in a commit without deploy/', async () => {
    await git(repo.dir, 'rm', '-rq', 'deploy');
    await repo.commit('no deployments');
    expect(await readDeploymentsAtRevision(repo.dir, 'HEAD')).toEqual({
      deployments: [],
      problems: [],
    });
  });
});
