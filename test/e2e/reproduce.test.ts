import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExampleRepo, git, type ExampleRepo } from '../utils/example-repo.js';
import { weft } from '../utils/weft-cli.js';

describe('weft reproduce on the bundled example', () => {
  let repo: ExampleRepo;
  beforeEach(async () => {
    repo = await createExampleRepo();
  });
  afterEach(async () => repo.cleanup());

  it('rebuilds the model from its commit bit for bit, and refuses a version built from uncommitted changes', async () => {
    expect((await weft(repo.dir, ['run'])).code).toBe(0);
    const same = await weft(repo.dir, ['reproduce', 'penguins@1']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      /penguins@1: bit-identical \(rebuilt from [0-9a-f]{10} with the cache off\)/,
    );
    expect(await git(repo.dir, 'worktree', 'list')).not.toContain('weft-reproduce');

    const params = join(repo.dir, 'params.yaml');
    await writeFile(params, (await readFile(params, 'utf8')).replace('lr: 0.1', 'lr: 0.05'));
    expect((await weft(repo.dir, ['run'])).stdout).toContain('registered version 2');
    const dirty = await weft(repo.dir, ['reproduce', 'penguins@2']);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('built it from uncommitted changes');
  });

  it('names the stage whose output differs when a stage is not deterministic', async () => {
    const spec = join(repo.dir, 'weft.yaml');
    const noisy = (await readFile(spec, 'utf8')).replace(
      '  model:',
      `    noise:
      cmd: head -c 16 /dev/urandom > noise.bin
      deps: [data/penguins.csv]
      outs: [noise.bin]
  model:`,
    );
    await writeFile(spec, noisy);
    await appendFile(join(repo.dir, '.gitignore'), '/noise.bin\n');
    await git(repo.dir, 'commit', '-qam', 'add a noisy stage');
    expect((await weft(repo.dir, ['run'])).code).toBe(0);

    const result = await weft(repo.dir, ['reproduce', 'penguins', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      identical: boolean;
      artifact: { recorded: string; reproduced: string };
      differences: Array<{ stage: string; path: string }>;
    };
    expect(report.identical).toBe(false);
    expect(report.artifact.reproduced).toBe(report.artifact.recorded);
    expect(report.differences.map((d) => [d.stage, d.path])).toEqual([['noise', 'noise.bin']]);
    const text = await weft(repo.dir, ['reproduce', 'penguins']);
    expect(text.stdout).toContain('stage noise is not deterministic: noise.bin');
  });
});
