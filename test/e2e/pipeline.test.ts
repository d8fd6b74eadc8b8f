import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../utils/example-repo.js';
import { createRepo, weft, WEFT_BIN, type TempRepo } from '../utils/weft-cli.js';

const PIPELINE = `apiVersion: weft.dev/v1
kind: Pipeline
metadata:
  name: demo
spec:
  stages:
    prepare:
      cmd: mkdir -p data && tr a-z A-Z < raw.txt > data/clean.txt
      deps: [raw.txt]
      params: [prepare.factor]
      outs: [data/clean.txt]
    train:
      cmd: (cat data/clean.txt; grep 'lr:' params.yaml) > model.txt
      deps: [data/clean.txt]
      params: [train.lr]
      outs: [model.txt]
    evaluate:
      cmd: >-
        printf '{"accuracy": %s, "n": 3}' "$(wc -c < model.txt)" > metrics.json
      deps: [model.txt]
      metrics: [metrics.json]
    side:
      cmd: cp other.txt side.txt
      deps: [other.txt]
      outs: [side.txt]
`;

const PARAMS = `prepare:
  factor: 2
  unused: 1
train:
  lr: 0.1
`;

interface RunJson {
  runId: number;
  status: string;
  lockWritten: boolean;
  stages: Array<{ stage: string; outcome: string; reasons: string[]; error?: string }>;
}

async function runJson(
  dir: string,
  args: string[] = [],
): Promise<{ code: number; summary: RunJson }> {
  const result = await weft(dir, ['run', '--json', ...args]);
  if (!result.stdout.trim().startsWith('{')) throw new Error(`weft run failed: ${result.stderr}`);
  return { code: result.code, summary: JSON.parse(result.stdout) as RunJson };
}

function outcomes(summary: RunJson): Record<string, string> {
  return Object.fromEntries(summary.stages.map((s) => [s.stage, s.outcome]));
}

async function statusJson(
  dir: string,
): Promise<Record<string, { action: string; reasons: string[] }>> {
  const result = await weft(dir, ['status', '--json']);
  expect(result.code).toBe(0);
  const parsed = JSON.parse(result.stdout) as {
    stages: Array<{ stage: string; action: string; reasons: string[] }>;
  };
  return Object.fromEntries(parsed.stages.map((s) => [s.stage, s]));
}

describe('weft run on a Git repository', () => {
  let repo: TempRepo;

  beforeEach(async () => {
    repo = await createRepo({
      'weft.yaml': PIPELINE,
      'params.yaml': PARAMS,
      'raw.txt': 'hello penguins\n',
      'other.txt': 'side input\n',
      // Outputs live in the weft store, not in Git; metrics.json is committed, as with DVC.
      '.gitignore': '.weft/\n/data/\n/model.txt\n/side.txt\n',
    });
  });
  afterEach(async () => repo.cleanup());

  it('runs every stage once, then restores nothing and runs nothing', async () => {
    const first = await runJson(repo.dir);
    expect(first.code).toBe(0);
    expect(outcomes(first.summary)).toEqual({
      prepare: 'ran',
      train: 'ran',
      evaluate: 'ran',
      side: 'ran',
    });
    expect(first.summary.lockWritten).toBe(true);
    expect(await readFile(join(repo.dir, 'data/clean.txt'), 'utf8')).toBe('HELLO PENGUINS\n');

    const lockBefore = await readFile(join(repo.dir, 'weft.lock'), 'utf8');
    const second = await runJson(repo.dir);
    expect(Object.values(outcomes(second.summary))).toEqual(Array(4).fill('up-to-date'));
    expect(second.summary.lockWritten).toBe(false);
    expect(await readFile(join(repo.dir, 'weft.lock'), 'utf8')).toBe(lockBefore);
    expect((await weft(repo.dir, ['status'])).stdout).toContain('Everything is up to date.');
  });

  it('re-runs only the stage whose dep changed by one byte', async () => {
    await runJson(repo.dir);
    await writeFile(join(repo.dir, 'other.txt'), 'side inpuT\n');
    const status = await statusJson(repo.dir);
    expect(status.side).toMatchObject({ action: 'run', reasons: ['dep other.txt changed'] });
    expect(status.prepare?.action).toBe('skip');

    const { summary } = await runJson(repo.dir);
    expect(outcomes(summary)).toEqual({
      prepare: 'up-to-date',
      train: 'up-to-date',
      evaluate: 'up-to-date',
      side: 'ran',
    });
  });

  it('names the changed param, and re-runs only the stages that read it and their dependents', async () => {
    await runJson(repo.dir);
    await writeFile(join(repo.dir, 'params.yaml'), PARAMS.replace('unused: 1', 'unused: 5'));
    expect(Object.values(await statusJson(repo.dir)).every((s) => s.action === 'skip')).toBe(true);

    await writeFile(join(repo.dir, 'params.yaml'), PARAMS.replace('lr: 0.1', 'lr: 0.2'));
    const status = await statusJson(repo.dir);
    expect(status.train?.reasons).toEqual(['param train.lr changed (0.1 -> 0.2)']);
    expect(status.evaluate?.reasons).toEqual(['upstream stage train is stale']);
    expect(status.prepare?.action).toBe('skip');
    const human = await weft(repo.dir, ['status']);
    expect(human.stdout).toContain('train: stale, will run');
    expect(human.stdout).toContain('  - param train.lr changed (0.1 -> 0.2)');

    const { summary } = await runJson(repo.dir);
    expect(outcomes(summary)).toEqual({
      prepare: 'up-to-date',
      train: 'ran',
      evaluate: 'ran',
      side: 'up-to-date',
    });
  });

  it('re-runs a stage whose cmd changed', async () => {
    await runJson(repo.dir);
    await writeFile(
      join(repo.dir, 'weft.yaml'),
      PIPELINE.replace('cp other.txt side.txt', 'cat other.txt > side.txt'),
    );
    expect((await statusJson(repo.dir)).side?.reasons).toEqual(['cmd changed']);
    const dry = await weft(repo.dir, ['run', '--dry']);
    expect(dry.stdout).toContain('side: stale, will run');
    expect(outcomes((await runJson(repo.dir)).summary).side).toBe('ran');
  });

  it('restores outputs from the cache after checking out an older commit', async () => {
    await runJson(repo.dir);
    await repo.commit('first model');
    const oldModel = await readFile(join(repo.dir, 'model.txt'), 'utf8');
    await writeFile(join(repo.dir, 'params.yaml'), PARAMS.replace('lr: 0.1', 'lr: 0.25'));
    await runJson(repo.dir);
    await repo.commit('second model');
    expect(await readFile(join(repo.dir, 'model.txt'), 'utf8')).not.toBe(oldModel);

    await git(repo.dir, 'checkout', '-q', 'HEAD~1');
    const status = await statusJson(repo.dir);
    expect(status.train).toMatchObject({ action: 'restore', reasons: ['out model.txt modified'] });
    const { summary } = await runJson(repo.dir);
    expect(outcomes(summary)).toMatchObject({
      train: 'restored',
      evaluate: 'up-to-date',
      prepare: 'up-to-date',
    });
    expect(await readFile(join(repo.dir, 'model.txt'), 'utf8')).toBe(oldModel);
    expect((await git(repo.dir, 'status', '--porcelain')).trim()).toBe('');
  });

  it('shows the metrics change against the previous commit', async () => {
    await runJson(repo.dir);
    await repo.commit('baseline');
    await writeFile(join(repo.dir, 'params.yaml'), PARAMS.replace('lr: 0.1', 'lr: 0.125'));
    await runJson(repo.dir);
    await repo.commit('longer lr');

    const diff = await weft(repo.dir, ['metrics', 'diff', 'HEAD~1', 'HEAD', '--json']);
    expect(diff.code).toBe(0);
    const rows = (JSON.parse(diff.stdout) as { metrics: unknown[] }).metrics;
    expect(rows).toEqual([{ file: 'metrics.json', key: 'accuracy', old: 25, new: 27, change: 2 }]);
    const table = await weft(repo.dir, ['metrics', 'diff', 'HEAD~1']);
    expect(table.stdout).toMatch(/metrics\.json\s+accuracy\s+25\s+27\s+\+2/);
    const md = await weft(repo.dir, ['metrics', 'diff', 'HEAD~1', '--md']);
    expect(md.stdout).toContain('| metrics.json | accuracy | 25 | 27 | +2 |');
  });

  it('runs independent stages in parallel with -j 2 and one at a time with -j 1', async () => {
    const stage = (name: string): string => `    ${name}:
      cmd: node -e "const t=Date.now(); setTimeout(()=>require('fs').writeFileSync('${name}.txt', t+' '+Date.now()), 600)"
      deps: [raw.txt]
      outs: [${name}.txt]
`;
    await writeFile(
      join(repo.dir, 'weft.yaml'),
      PIPELINE.split('  stages:\n')[0] + '  stages:\n' + stage('a') + stage('b'),
    );
    const spans = async (): Promise<number[][]> =>
      Promise.all(
        ['a', 'b'].map(async (n) =>
          (await readFile(join(repo.dir, `${n}.txt`), 'utf8')).split(' ').map(Number),
        ),
      );
    const overlaps = ([a, b]: number[][]): boolean =>
      (a?.[0] ?? 0) < (b?.[1] ?? 0) && (b?.[0] ?? 0) < (a?.[1] ?? 0);

    await runJson(repo.dir, ['-j', '2']);
    expect(overlaps(await spans())).toBe(true);
    await runJson(repo.dir, ['-j', '1', '--force']);
    expect(overlaps(await spans())).toBe(false);
  });

  it('runs a dozen stages at once with -j 12 and warns about nothing', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const stages = names
      .map(
        (name) =>
          `    ${name}:\n      cmd: echo ${name} > ${name}.txt\n      deps: [raw.txt]\n      outs: [${name}.txt]\n`,
      )
      .join('');
    await writeFile(
      join(repo.dir, 'weft.yaml'),
      PIPELINE.split('  stages:\n')[0] + '  stages:\n' + stages,
    );
    const result = await weft(repo.dir, ['run', '-j', '12']);
    expect(result.code).toBe(0);
    // Each running stage listens for an interrupt on the run's signal: twelve are no leak.
    expect(result.stderr).not.toMatch(/MaxListenersExceededWarning/);
    expect(result.stdout).toContain('(12 ran)');
  });
});

describe('weft run when a stage fails', () => {
  let repo: TempRepo;
  const FAILING = `apiVersion: weft.dev/v1
kind: Pipeline
metadata:
  name: failing
spec:
  stages:
    broken:
      cmd: echo partial > half.out && echo "boom" >&2 && exit 3
      deps: [in.txt]
      outs: [half.out]
    downstream:
      cmd: cp half.out final.out
      deps: [half.out]
      outs: [final.out]
    killed:
      cmd: echo partial-write > killed.out; kill -9 $$
      deps: [in.txt]
      outs: [killed.out]
    independent:
      cmd: sleep 0.3 && cp in.txt copy.out
      deps: [in.txt]
      outs: [copy.out]
    forgetful:
      cmd: echo "done, but no output"
      deps: [in.txt]
      outs: [never.out]
`;

  beforeEach(async () => {
    repo = await createRepo({ 'weft.yaml': FAILING, 'in.txt': 'input\n' });
  });
  afterEach(async () => repo.cleanup());

  it('stops dependents, finishes the others, caches nothing partial and leaves weft.lock alone', async () => {
    await writeFile(join(repo.dir, 'weft.lock'), '');
    const { code, summary } = await runJson(repo.dir, ['-j', '4']);
    expect(code).toBe(1);
    expect(outcomes(summary)).toEqual({
      broken: 'failed',
      downstream: 'skipped',
      killed: 'failed',
      independent: 'ran',
      forgetful: 'failed',
    });
    const byName = Object.fromEntries(summary.stages.map((s) => [s.stage, s]));
    expect(byName.broken?.error).toBe('stage broken failed with exit code 3');
    expect(byName.killed?.error).toBe('stage killed was killed by SIGKILL');
    expect(byName.downstream?.reasons).toEqual(['upstream stage broken failed']);
    expect(byName.forgetful?.error).toBe(
      'stage forgetful exited 0 but did not write its out never.out',
    );
    expect(summary.status).toBe('failed');
    expect(summary.lockWritten).toBe(false);
    expect(await readFile(join(repo.dir, 'weft.lock'), 'utf8')).toBe('');
    // Partial outputs are removed from the workspace and never stored.
    const workspace = await readdir(repo.dir);
    expect(workspace).not.toContain('half.out');
    expect(workspace).not.toContain('killed.out');
    const stored = await listObjects(join(repo.dir, '.weft/store'));
    for (const partial of ['partial\n', 'partial-write\n']) {
      expect(stored).not.toContain(createHash('sha256').update(partial).digest('hex'));
    }
    expect(stored).toContain(createHash('sha256').update('input\n').digest('hex'));
    // The failed stage's log is kept and readable.
    const log = await weft(repo.dir, ['show', String(summary.runId), '--log', 'broken']);
    expect(log.stdout).toContain('boom');
  });

  it('prints plain prefixed lines and a failure summary without --json', async () => {
    const result = await weft(repo.dir, ['run', 'broken']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[broken] running: never run (not in weft.lock)');
    expect(result.stdout).toContain('[broken] boom');
    expect(result.stdout).toContain('[broken] FAILED: stage broken failed with exit code 3');
    expect(result.stdout).toMatch(/run 1 failed in/);
  });
});

describe('weft and bad input', () => {
  let repo: TempRepo;
  afterEach(async () => repo.cleanup());

  it('rejects an unknown key with file:line:col and exit code 2', async () => {
    repo = await createRepo({
      'weft.yaml': PIPELINE.replace('      deps: [raw.txt]', '      depz: [raw.txt]'),
      'params.yaml': PARAMS,
      'raw.txt': 'x',
    });
    const result = await weft(repo.dir, ['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('weft.yaml:9:7:');
    expect(result.stderr).toContain('did you mean "deps"');
    expect(await readdir(repo.dir)).not.toContain('weft.lock');
  });

  it('names both stages when two write the same out, and the stages of a cycle', async () => {
    repo = await createRepo({
      'weft.yaml': PIPELINE.replace('outs: [side.txt]', 'outs: [model.txt]'),
      'params.yaml': PARAMS,
      'raw.txt': 'x',
      'other.txt': 'y',
    });
    const duplicate = await weft(repo.dir, ['run']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain(
      'out model.txt of stage side overlaps out model.txt of stage train',
    );

    await writeFile(
      join(repo.dir, 'weft.yaml'),
      PIPELINE.replace('deps: [raw.txt]', 'deps: [raw.txt, metrics.json]'),
    );
    const cycle = await weft(repo.dir, ['status']);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('stages form a cycle');
    expect(cycle.stderr).toMatch(
      /prepare -> evaluate -> train -> prepare|evaluate -> train -> prepare -> evaluate|train -> prepare -> evaluate -> train/,
    );
  });

  it('fails the run and keeps weft.lock when the declared model is not an ONNX file', async () => {
    repo = await createRepo({
      'weft.yaml': `${PIPELINE}  model: { name: demo-model, artifact: model.txt }\n`,
      'params.yaml': PARAMS,
      'raw.txt': 'x',
      'other.txt': 'y',
    });
    const result = await weft(repo.dir, ['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('failed to read ONNX model demo-model');
    expect(await readdir(repo.dir)).not.toContain('weft.lock');
    const runs = JSON.parse((await weft(repo.dir, ['runs', '--json'])).stdout) as {
      runs: Array<{ status: string }>;
    };
    expect(runs.runs.map((r) => r.status)).toEqual(['failed']);
  });

  it('says which dep is missing', async () => {
    repo = await createRepo({ 'weft.yaml': PIPELINE, 'params.yaml': PARAMS, 'raw.txt': 'x' });
    const result = await weft(repo.dir, ['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'stage side: dep other.txt does not exist and no stage writes it',
    );
  });

  it('reports a corrupt cached object and runs the stage instead of restoring it', async () => {
    repo = await createRepo({
      'weft.yaml': PIPELINE,
      'params.yaml': PARAMS,
      'raw.txt': 'x',
      'other.txt': 'y',
    });
    await runJson(repo.dir);
    const digest = createHash('sha256').update('y').digest('hex');
    const object = join(
      repo.dir,
      '.weft/store/objects/sha256',
      digest.slice(0, 2),
      digest.slice(2),
    );
    await chmod(object, 0o644);
    await writeFile(object, 'tampered');
    await rm(join(repo.dir, 'side.txt'));

    const result = await weft(repo.dir, ['run', 'side']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is corrupt');
    expect(result.stdout).toContain('[side] ran in');
    expect(await readFile(join(repo.dir, 'side.txt'), 'utf8')).toBe('y');
  });
});

describe('weft runs, show and gc', () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createRepo({
      'weft.yaml': PIPELINE,
      'params.yaml': PARAMS,
      'raw.txt': 'x',
      'other.txt': 'y',
    });
  });
  afterEach(async () => repo.cleanup());

  it('records runs with their commit, stages, reasons and metrics', async () => {
    const head = (await git(repo.dir, 'rev-parse', 'HEAD')).trim();
    await runJson(repo.dir);
    await runJson(repo.dir);
    const runs = JSON.parse((await weft(repo.dir, ['runs', '--json'])).stdout) as {
      runs: Array<{ id: number; status: string; commit: string; dirty: boolean; author: string }>;
    };
    expect(runs.runs.map((r) => r.id)).toEqual([2, 1]);
    expect(runs.runs[0]).toMatchObject({
      status: 'succeeded',
      commit: head,
      author: 'Test User <test@example.com>',
    });

    const shown = JSON.parse((await weft(repo.dir, ['show', '1', '--json'])).stdout) as {
      stages: Array<{ stage: string; outcome: string; reasons: string[]; metrics: unknown[] }>;
    };
    const evaluate = shown.stages.find((s) => s.stage === 'evaluate');
    expect(evaluate).toMatchObject({ outcome: 'ran', reasons: ['never run (not in weft.lock)'] });
    expect(evaluate?.metrics).toEqual(
      expect.arrayContaining([{ file: 'metrics.json', key: 'accuracy', value: 11 }]),
    );
    const missing = await weft(repo.dir, ['show', '99']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such run');
  });

  it('collects only objects nothing references, and --dry-run deletes nothing', async () => {
    await runJson(repo.dir);
    await writeFile(join(repo.dir, 'other.txt'), 'replaced');
    await runJson(repo.dir);
    const before = await listObjects(join(repo.dir, '.weft/store'));
    const oldSide = createHash('sha256').update('y').digest('hex');
    expect(before).toContain(oldSide);

    // Every recorded run still references the old output: nothing to collect by default.
    const safe = JSON.parse((await weft(repo.dir, ['gc', '--dry-run', '--json'])).stdout) as {
      removed: unknown[];
    };
    expect(safe.removed).toEqual([]);

    const dry = JSON.parse(
      (await weft(repo.dir, ['gc', '--dry-run', '--keep-runs', '1', '--json'])).stdout,
    ) as {
      removed: Array<{ digest: string; size: number }>;
      bytes: number;
    };
    expect(dry.removed.map((o) => o.digest)).toContain(`sha256:${oldSide}`);
    expect(dry.bytes).toBe(dry.removed.reduce((sum, o) => sum + o.size, 0));
    expect(await listObjects(join(repo.dir, '.weft/store'))).toEqual(before);

    const real = await weft(repo.dir, ['gc', '--keep-runs', '1']);
    expect(real.code).toBe(0);
    const after = await listObjects(join(repo.dir, '.weft/store'));
    expect(after).not.toContain(oldSide);
    expect(after).toContain(createHash('sha256').update('replaced').digest('hex'));
    expect(outcomes((await runJson(repo.dir)).summary).side).toBe('up-to-date');
  });
});

describe('weft run interrupted', () => {
  it('stops the running stage on SIGINT, exits 130 and leaves weft.lock and the outputs clean', async () => {
    const repo = await createRepo({
      'weft.yaml': `apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: slow }
spec:
  stages:
    slow:
      cmd: echo partial > slow.out && echo started && sleep 30
      deps: [in.txt]
      outs: [slow.out]
`,
      'in.txt': 'x',
    });
    try {
      // picocolors colours output when CI is set; the prefix matched below must stay plain.
      const child = spawn(process.execPath, [WEFT_BIN, 'run'], {
        cwd: repo.dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let output = '';
      let interrupted = false;
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('[slow] started') && child.signalCode === null && !interrupted) {
          interrupted = child.kill('SIGINT');
        }
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(130);
      expect(output).toContain('[slow] FAILED: stage slow was interrupted');
      expect(await readdir(repo.dir)).not.toContain('slow.out');
      expect(await readdir(repo.dir)).not.toContain('weft.lock');
    } finally {
      await repo.cleanup();
    }
  });
});

describe('weft on big inputs', () => {
  it('hashes them on worker threads and still exits when done', async () => {
    const repo = await createRepo({
      'weft.yaml': `apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: big }
spec:
  stages:
    count:
      cmd: ls data | wc -l > count.txt
      deps: [data]
      outs: [count.txt]
`,
      '.gitignore': '.weft/\n/data/\n',
    });
    try {
      // 12 MiB is over the worker-pool threshold; a pool that kept weft alive would hang here.
      await mkdir(join(repo.dir, 'data'));
      await writeFile(join(repo.dir, 'data', 'a.bin'), Buffer.alloc(6 << 20, 1));
      await writeFile(join(repo.dir, 'data', 'b.bin'), Buffer.alloc(6 << 20, 2));
      const { code, summary } = await runJson(repo.dir);
      expect(code).toBe(0);
      expect(outcomes(summary)).toEqual({ count: 'ran' });
      const status = await weft(repo.dir, ['status', '--json']);
      expect(JSON.parse(status.stdout)).toMatchObject({ upToDate: true });
    } finally {
      await repo.cleanup();
    }
  });
});

describe('weft init', () => {
  it('scaffolds a pipeline that runs, and refuses to overwrite it', async () => {
    const repo = await createRepo({});
    try {
      const init = await weft(repo.dir, ['init']);
      expect(init.code).toBe(0);
      expect(await readFile(join(repo.dir, '.gitignore'), 'utf8')).toBe('.weft/\n');
      expect((await runJson(repo.dir)).summary.status).toBe('succeeded');
      const again = await weft(repo.dir, ['init']);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('weft.yaml already exists');
    } finally {
      await repo.cleanup();
    }
  });
});

async function listObjects(store: string): Promise<string[]> {
  const root = join(store, 'objects', 'sha256');
  const prefixes = await readdir(root).catch(() => []);
  const all = await Promise.all(
    prefixes.map(async (p) => (await readdir(join(root, p))).map((rest) => p + rest)),
  );
  return all.flat().sort();
}
