import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleRepo, type ExampleRepo } from '../utils/example-repo.js';
import { weft } from '../utils/weft-cli.js';

interface Summary {
  name: string;
  latestVersion: number;
  versionCount: number;
  aliases: Record<string, number>;
}

async function json<T>(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const result = await weft(dir, [...args, '--json'], env);
  if (result.code !== 0) throw new Error(`weft ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

describe('the model registry on the bundled example', () => {
  let repo: ExampleRepo;
  beforeAll(async () => {
    repo = await createExampleRepo();
  });
  afterAll(async () => repo.cleanup());

  it('registers a version per new model artifact, with its ONNX signature and lineage', async () => {
    const first = await weft(repo.dir, ['run']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/model penguins: registered version 1 \(sha256:/);
    expect((await weft(repo.dir, ['run'])).stdout).not.toContain('registered version');

    const version = await json<Record<string, unknown>>(repo.dir, ['models', 'show', 'penguins@1']);
    expect(version).toMatchObject({
      name: 'penguins',
      version: 1,
      artifactPath: 'model/model.onnx',
      stage: 'train',
      params: {
        prepare: { seed: 42, test_ratio: 0.25 },
        train: { lr: 0.1, epochs: 300, l2: 0.001 },
      },
      signature: {
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 7] }],
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
          { name: 'label', datatype: 'INT64', shape: [-1] },
        ],
      },
    });
    const onnx = await readFile(join(repo.dir, 'model/model.onnx'));
    expect(version.size).toBe(onnx.length);
    const inputs = (version.dataDigests as Array<{ path: string }>).map((d) => d.path);
    expect(inputs).toEqual([
      'data/penguins.csv',
      'src/features.mjs',
      'src/prepare.mjs',
      'src/train.mjs',
    ]);
  });

  it('numbers a changed model 2 and moves aliases with who and why', async () => {
    const params = join(repo.dir, 'params.yaml');
    await writeFile(params, (await readFile(params, 'utf8')).replace('lr: 0.1', 'lr: 0.01'));
    expect((await weft(repo.dir, ['run'])).stdout).toContain(
      'model penguins: registered version 2',
    );

    const env = { WEFT_ACTOR: 'ana' };
    expect(
      (
        await weft(
          repo.dir,
          ['models', 'alias', 'set', 'penguins', 'production', '1', '-m', 'baseline'],
          env,
        )
      ).code,
    ).toBe(0);
    const moved = await weft(
      repo.dir,
      ['models', 'alias', 'set', 'penguins', 'production', '2', '-m', 'try lr 0.01'],
      env,
    );
    expect(moved.stdout).toBe('penguins:production -> version 2 (was 1)\n');
    const missing = await weft(repo.dir, ['models', 'alias', 'set', 'penguins', 'staging', '9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no version 9');

    const { models } = await json<{ models: Summary[] }>(repo.dir, ['models']);
    expect(models).toEqual([
      { name: 'penguins', latestVersion: 2, versionCount: 2, aliases: { production: 2 } },
    ]);
    const byAlias = await json<{ version: number }>(repo.dir, [
      'models',
      'show',
      'penguins:production',
    ]);
    expect(byAlias.version).toBe(2);
    const { events } = await json<{ events: Array<Record<string, unknown>> }>(repo.dir, [
      'models',
      'alias',
      'history',
      'penguins',
      'production',
    ]);
    expect(events.map((e) => [e.version, e.previousVersion, e.actor, e.reason])).toEqual([
      [1, null, 'ana', 'baseline'],
      [2, 1, 'ana', 'try lr 0.01'],
    ]);
    const audit = await json<Array<{ action: string; actor: string; object: { name: string } }>>(
      repo.dir,
      ['audit'],
    );
    expect(audit.map((e) => [e.action, e.actor, e.object.name])).toEqual([
      ['alias.set', 'ana', 'penguins:production'],
      ['alias.set', 'ana', 'penguins:production'],
    ]);
    const verify = await weft(repo.dir, ['audit', 'verify']);
    expect(verify.stdout).toContain('audit log intact: 2 entries');
    expect(verify.code).toBe(0);
  });

  it('shows the lineage of a version, and which versions used a piece of data', async () => {
    const view = await json<{ nodes: Array<{ kind: string; label: string }> }>(repo.dir, [
      'lineage',
      'penguins@1',
    ]);
    const labels = view.nodes.map((n) => n.label);
    expect(labels[0]).toBe('penguins@1');
    expect(labels).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stage train \(run \d+, ran\)$/),
        expect.stringMatching(/^stage prepare \(run \d+, ran\)$/),
        expect.stringMatching(/^data\/penguins\.csv sha256:/),
        'train={"lr":0.1,"epochs":300,"l2":0.001}',
        expect.stringMatching(/^commit [0-9a-f]{10}$/),
      ]),
    );
    const tree = await weft(repo.dir, ['lineage', 'penguins:production']);
    expect(tree.stdout.split('\n')[0]).toBe('penguins@2');
    expect(tree.stdout).toContain('aliases: penguins:production');
    const mermaid = await weft(repo.dir, ['lineage', 'penguins@1', '--format', 'mermaid']);
    expect(mermaid.stdout.startsWith('flowchart LR\n')).toBe(true);

    const v1 = await json<{ dataDigests: Array<{ path: string; digest: string }> }>(repo.dir, [
      'models',
      'show',
      'penguins@1',
    ]);
    const raw = v1.dataDigests.find((d) => d.path === 'data/penguins.csv')?.digest ?? '';
    const users = await json<{ versions: Array<{ version: number }> }>(repo.dir, [
      'lineage',
      '--uses',
      raw,
    ]);
    expect(users.versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const nobody = await weft(repo.dir, ['lineage', '--uses', `sha256:${'0'.repeat(64)}`]);
    expect(nobody.stdout).toContain('No model version used');
  });
});
