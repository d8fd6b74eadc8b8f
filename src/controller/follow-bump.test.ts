import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetadataStore } from '../registry/index.js';
import { digestOf, sampleModelVersion } from '../registry/metadata-store.fixtures.js';
import type { MetadataStore } from '../registry/types.js';
import { runGit } from '../source/git.js';
import { parseDeployment } from '../spec/deployment.js';
import { commitFollowBump, findFollowBump } from './follow-bump.js';
import { cloneForController, commitFiles, initRepo } from './git-origin.fixtures.js';

const FILE = `# deploys the newest good penguins
apiVersion: weft.dev/v1
kind: ModelDeployment
metadata: { name: penguins }
spec:
  model:
    name: penguins
    version: 1 # bumped by the controller
    follow: { branch: main }
`;

describe('following a branch', () => {
  let dir = '';
  let metadata: MetadataStore;
  let work = '';
  let tip = '';

  const deployment = parseDeployment(FILE, 'deploy/penguins.yaml');

  /**
   * An origin whose main holds FILE at `tip`: bare, or a checked-out repository (which refuses a
   * push to its checked-out main); and the controller's clone of it in `work`.
   */
  const makeOrigin = async (bare: boolean): Promise<string> => {
    const seed = join(dir, 'seed');
    await initRepo(seed);
    tip = await commitFiles(seed, { 'deploy/penguins.yaml': FILE }, 'deploy');
    const origin = bare ? join(dir, 'origin.git') : seed;
    if (bare) await runGit(dir, ['clone', '--quiet', '--bare', seed, origin]);
    await cloneForController(origin, work);
    return origin;
  };

  /** How the controller commits a bump of the deployment to `version` into `origin`. */
  const bumpTo = (origin: string, version: number) => ({
    workDir: work,
    repoDir: origin,
    url: origin,
    branch: 'main',
    tip,
    deployment,
    version,
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-follow-'));
    metadata = await openMetadataStore({ kind: 'sqlite', path: join(dir, 'weft.db') });
    work = join(dir, 'work');
  });
  afterEach(async () => {
    await metadata.close();
    await rm(dir, { recursive: true, force: true });
  });

  const register = async (version: number, commit: string, passed: boolean) => {
    await metadata.registerModelVersion(
      sampleModelVersion({ name: 'penguins', digest: digestOf(`v${version}`), commit }),
    );
    await metadata.recordModelCheck({
      name: 'penguins',
      version,
      kind: 'validation',
      datasetPath: 'd.csv',
      datasetDigest: digestOf('d'),
      configDigest: digestOf('c'),
      passed,
      result: {},
      actor: 'controller',
      createdAt: new Date(),
    });
  };

  it('picks the newest version built on the branch that passed its gates', async () => {
    const origin = await makeOrigin(true);
    await register(1, tip, true);
    await register(2, tip, true);
    await register(3, 'f'.repeat(40), true);
    await metadata.registerModelVersion(
      sampleModelVersion({ name: 'penguins', digest: digestOf('v4'), commit: tip }),
    );
    // 4 never passed its gates and 3 was built from a commit that is not on the branch.
    expect((await findFollowBump(metadata, origin, tip, deployment))?.version).toBe(2);
    const pinned = parseDeployment(
      FILE.replace('version: 1', 'version: 2'),
      'deploy/penguins.yaml',
    );
    expect(await findFollowBump(metadata, origin, tip, pinned)).toBeUndefined();
  });

  it('pushes the bump to the tracked branch when the repository accepts it', async () => {
    const origin = await makeOrigin(true);
    await register(1, tip, true);
    await register(2, tip, true);
    const newest = await findFollowBump(metadata, origin, tip, deployment);
    expect(newest?.version).toBe(2);
    const bump = await commitFollowBump(bumpTo(origin, 2));
    expect(bump).toMatchObject({ branch: 'main', direct: true });
    const text = await runGit(origin, ['show', 'main:deploy/penguins.yaml']);
    expect(text).toContain('version: 2 # bumped by the controller');
    expect(text.startsWith('# deploys the newest good penguins')).toBe(true);
  });

  it('proposes the bump on a branch when the tracked branch refuses the push, once', async () => {
    const origin = await makeOrigin(false);
    const options = bumpTo(origin, 2);
    expect(await commitFollowBump(options)).toMatchObject({
      branch: 'weft/deploy-penguins-2',
      direct: false,
    });
    expect(await commitFollowBump(options)).toBeNull();
  });
});
