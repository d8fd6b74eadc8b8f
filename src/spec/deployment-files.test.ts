import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSpecProblem, WeftError } from '../core/errors.js';
import { readDeployments } from './deployment-files.js';
import { useTempRepo } from './temp-repo.testing.js';

/** metadata.name's value is on line 3, column 19. */
function deployment(name: string, version = 1): string {
  return `apiVersion: weft.dev/v1
kind: ModelDeployment
metadata: { name: ${name} }
spec:
  model: { name: penguins, version: ${version} }
`;
}

const repo = useTempRepo('weft-deploy-');

describe('readDeployments', () => {
  it('reads every .yaml and .yml file of deploy/, sorted by name', async () => {
    await repo.write({
      'deploy/z-first-file.yaml': deployment('zebra'),
      'deploy/b.yml': deployment('alpha'),
      'deploy/m.yaml': deployment('mid'),
      'deploy/README.md': '# not a deployment',
      'deploy/.hidden.yaml': 'not: read',
      'deploy/nested/x.yaml': 'not: read either',
    });
    const { deployments, problems } = await readDeployments(repo.root);
    expect(problems).toEqual([]);
    expect(deployments.map((d) => [d.name, d.file])).toEqual([
      ['alpha', 'deploy/b.yml'],
      ['mid', 'deploy/m.yaml'],
      ['zebra', 'deploy/z-first-file.yaml'],
    ]);
  });

  it('finds no deployments, and no problem, when the directory is absent', async () => {
    expect(await readDeployments(repo.root)).toEqual({ deployments: [], problems: [] });
  });

  it('reads another directory when told to', async () => {
    await repo.write({ 'ops/deploy/a.yaml': deployment('a') });
    const { deployments } = await readDeployments(repo.root, 'ops/deploy');
    expect(deployments.map((d) => d.file)).toEqual(['ops/deploy/a.yaml']);
  });

  it('refuses a name declared twice, naming both files, and keeps neither', async () => {
    await repo.write({
      'deploy/a.yaml': deployment('penguins', 1),
      'deploy/b.yaml': deployment('penguins', 2),
      'deploy/c.yaml': deployment('other'),
    });
    const { deployments, problems } = await readDeployments(repo.root);
    expect(deployments.map((d) => d.name)).toEqual(['other']);
    expect(problems.map(formatSpecProblem)).toEqual([
      'deploy/b.yaml:3:19: metadata.name: ModelDeployment "penguins" is already declared in deploy/a.yaml:3:19; each name may be used once in deploy/',
    ]);
  });

  it('refuses a file of another kind and keeps reading the rest', async () => {
    await repo.write({
      'deploy/a.yaml': deployment('a'),
      'deploy/pipeline.yaml': 'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: { name: p }\n',
      'deploy/z.yaml': deployment('z').replace('version: 1', 'version: 0'),
    });
    const { deployments, problems } = await readDeployments(repo.root);
    expect(deployments.map((d) => d.name)).toEqual(['a']);
    expect(problems.map(formatSpecProblem)).toEqual([
      'deploy/pipeline.yaml:2:7: kind: expected "ModelDeployment", got "Pipeline"; a Pipeline belongs in weft.yaml',
      'deploy/z.yaml:5:37: spec.model.version: expected a number >= 1, got 0',
    ]);
  });

  it('refuses a symbolic link, which could point outside the repository', async () => {
    await repo.write({ 'elsewhere.yaml': deployment('a') });
    await mkdir(join(repo.root, 'deploy'));
    await symlink(join(repo.root, 'elsewhere.yaml'), join(repo.root, 'deploy', 'a.yaml'));
    const { deployments, problems } = await readDeployments(repo.root);
    expect(deployments).toEqual([]);
    expect(problems.map(formatSpecProblem)).toEqual([
      'deploy/a.yaml:1:1: not a regular file (a directory or a symbolic link); a deploy file must be a plain file',
    ]);
  });

  it('fails with SPEC_INVALID when the directory cannot be read', async () => {
    await repo.write({ deploy: 'a file, not a directory' });
    await expect(readDeployments(repo.root)).rejects.toBeInstanceOf(WeftError);
    await expect(readDeployments(repo.root)).rejects.toThrow(/^failed to read deploy\/ in /);
  });
});
