import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult, ReportInput } from '../../src/evaluate/types.js';
import { createExampleRepo, git, type ExampleRepo } from '../utils/example-repo.js';
import { weft } from '../utils/weft-cli.js';

const execFileAsync = promisify(execFile);
const JUNIT_XSD = join(import.meta.dirname, '../fixtures/junit/junit.xsd');

async function json<T>(dir: string, args: string[]): Promise<{ code: number; value: T }> {
  const result = await weft(dir, [...args, '--json']);
  if (result.stdout === '') throw new Error(`weft ${args.join(' ')}: ${result.stderr}`);
  return { code: result.code, value: JSON.parse(result.stdout) as T };
}

async function editFile(dir: string, path: string, edit: (text: string) => string): Promise<void> {
  await writeFile(join(dir, path), edit(await readFile(join(dir, path), 'utf8')));
}

describe('weft evaluate, validate and report on the bundled example', () => {
  let repo: ExampleRepo;
  beforeAll(async () => {
    repo = await createExampleRepo();
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
  });
  afterAll(async () => repo.cleanup());

  it('evaluates a version with ONNX Runtime: metrics, fairness per group, importance; stored once', async () => {
    const { code, value } = await json<EvaluationResult>(repo.dir, ['evaluate', 'penguins@1']);
    expect(code).toBe(0);
    expect(value.dataset).toMatchObject({ path: 'data/eval.csv', rows: 84 });
    expect(value.metrics).toMatchObject({ task: 'classification', rows: 84 });
    if (value.metrics.task !== 'classification') throw new Error('expected a classifier');
    expect(value.metrics.accuracy).toBeGreaterThan(0.95);
    expect(value.metrics.confusionMatrix.flat().reduce((a, b) => a + b)).toBe(84);
    const [sex] = value.fairness;
    expect(sex?.attribute).toBe('sex');
    expect(sex?.positiveClass).toBe('Chinstrap');
    expect(sex?.groups.map((g) => [g.group, g.rows])).toEqual([
      ['female', 39],
      ['male', 45],
    ]);
    expect(sex?.demographicParityDifference.interval).toHaveLength(2);
    expect(value.importance?.features).toHaveLength(7);
    expect(value.importance?.features[0]?.feature).toBe('bill_length_mm');

    const again = await weft(repo.dir, ['evaluate']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`penguins@1 on data/eval.csv (84 rows`);
    expect(again.stdout).toContain('stored evaluation of');
  });

  it('fails validation with a clear verdict when a param makes the model worse than production', async () => {
    expect(
      (await weft(repo.dir, ['models', 'alias', 'set', 'penguins', 'production', '1'])).code,
    ).toBe(0);
    const good = await weft(repo.dir, ['validate']);
    expect(good.stdout).toContain('penguins@1: all 4 gates passed');
    expect(good.code).toBe(0);

    await editFile(repo.dir, 'params.yaml', (t) => t.replace('lr: 0.1 ', 'lr: 0.002 '));
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
    const bad = await weft(repo.dir, ['validate', '--report', 'report']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('validating penguins@2 against production (penguins@1)');
    expect(bad.stdout).toMatch(
      /FAIL {2}accuracy no worse than production \(tolerance 0\.01\): accuracy is 0\.9405 vs 1 for production \(penguins@1\); worse than the allowed 0\.99/,
    );
    expect(bad.stdout).toContain('penguins@2: FAILED 2 of 4 gates');

    const markdown = await readFile(join(repo.dir, 'report/report.md'), 'utf8');
    expect(markdown.startsWith('<!-- weft-report:penguins -->')).toBe(true);
    expect(markdown).toContain('❌ weft validate penguins@2: failed');
    expect(markdown).toContain('![ROC curve](roc.svg)');
    await execFileAsync('/usr/bin/xmllint', [
      '--noout',
      '--schema',
      JUNIT_XSD,
      join(repo.dir, 'report/junit.xml'),
    ]);
    const junit = await readFile(join(repo.dir, 'report/junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    expect(junit.match(/<failure /g)).toHaveLength(2);

    const rerendered = await weft(repo.dir, [
      'report',
      'penguins@2',
      '--out',
      'again',
      '--format',
      'json',
    ]);
    expect(rerendered.code).toBe(0);
    const report = JSON.parse(await readFile(join(repo.dir, 'again/report.json'), 'utf8')) as {
      passed: boolean;
    };
    expect(report.passed).toBe(false);
  });

  it('records the validation with the version, failed as it was', async () => {
    const { value } = await json<ReportInput>(repo.dir, ['validate', 'penguins@2']);
    expect(value.validation.passed).toBe(false);
    expect(value.params.baseline).toMatchObject({ train: { lr: 0.1 } });
    expect(value.lineage.some((line) => line.startsWith('input data/penguins.csv'))).toBe(true);
    const shown = await json<{ checks: Array<{ kind: string; passed: boolean | null }> }>(
      repo.dir,
      ['models', 'show', 'penguins@2'],
    );
    expect(shown.value.checks[0]).toMatchObject({ kind: 'validation', passed: false });
    expect(shown.value.checks.some((c) => c.kind === 'evaluation')).toBe(true);
  });
});

describe('weft validate and bad input', () => {
  let repo: ExampleRepo;
  beforeAll(async () => {
    repo = await createExampleRepo();
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
  });
  afterAll(async () => repo.cleanup());

  it('fails a gate whose baseline alias does not exist, naming it, and passes nothing', async () => {
    const result = await weft(repo.dir, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'model penguins has no alias "production" and "production" is no Git revision',
    );
    expect(result.stdout).toContain('penguins@1: FAILED 2 of 4 gates');
  });

  it('compares with the version a Git revision says it built (its committed weft.lock)', async () => {
    await git(repo.dir, 'add', '-A');
    await git(repo.dir, 'commit', '-qm', 'lock the first model');
    await editFile(repo.dir, 'weft.yaml', (t) =>
      t.replaceAll('noWorseThan: production', 'noWorseThan: HEAD'),
    );
    const result = await weft(repo.dir, ['validate']);
    expect(result.stdout).toContain('against HEAD (penguins@1)');
    expect(result.code).toBe(0);
    await git(repo.dir, 'checkout', '-q', '--', 'weft.yaml');
  });

  it('names the missing column, and the model whose input does not match', async () => {
    await editFile(repo.dir, 'weft.yaml', (t) => t.replaceAll('sex', 'Sex'));
    const missing = await weft(repo.dir, ['evaluate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'weft: dataset data/eval.csv has no column "Sex"; did you mean "sex"?',
    );
    await editFile(repo.dir, 'weft.yaml', (t) =>
      t
        .replaceAll('Sex', 'sex')
        .replace(
          'sensitive: [sex]',
          'sensitive: [sex]\n    features: [bill_length_mm, bill_depth_mm]',
        ),
    );
    const narrow = await weft(repo.dir, ['evaluate']);
    expect(narrow.code).toBe(2);
    expect(narrow.stderr).toContain(
      'model penguins@1 cannot be evaluated: input features has shape [-1, 7] but the evaluation feeds 2 columns',
    );
  });

  it('refuses a dataset whose label holds one class', async () => {
    await git(repo.dir, 'checkout', '-q', '--', 'weft.yaml');
    const eval_ = await readFile(join(repo.dir, 'data/eval.csv'), 'utf8');
    const [header, ...rows] = eval_.trim().split('\n');
    const adelie = rows.filter((row) => row.includes(',Adelie,'));
    await writeFile(join(repo.dir, 'data/eval.csv'), [header, ...adelie].join('\n') + '\n');
    const result = await weft(repo.dir, ['evaluate']);
    expect(result.stderr).toContain('label column "species" holds one class only (Adelie)');
    expect(result.code).toBe(2);
  });
});

describe('weft validate with a reproducibility gate', () => {
  let repo: ExampleRepo;
  beforeAll(async () => {
    repo = await createExampleRepo();
    await editFile(repo.dir, 'weft.yaml', (t) =>
      t.replace(
        / {2}gates:\n[\s\S]*$/,
        '  gates:\n    - { metric: accuracy, min: 0.9 }\n    - { reproducible: true }\n',
      ),
    );
    await git(repo.dir, 'commit', '-qam', 'gate on reproducibility');
  });
  afterAll(async () => repo.cleanup());

  it('passes a deterministic model and fails one whose training is not', async () => {
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
    const good = await weft(repo.dir, ['validate']);
    expect(good.stdout).toMatch(
      /PASS {2}reproducible: bit-identical when rebuilt from [0-9a-f]{10}/,
    );
    expect(good.code).toBe(0);

    await editFile(repo.dir, 'src/train.mjs', (t) =>
      t.replace("{ key: 'label', value: LABEL }", "{ key: 'label', value: LABEL + Math.random() }"),
    );
    await git(repo.dir, 'commit', '-qam', 'train differently every time');
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
    const bad = await weft(repo.dir, ['validate']);
    expect(bad.stdout).toMatch(
      /FAIL {2}reproducible: not reproducible from [0-9a-f]{10}: model\/model\.onnx \(stage train\)/,
    );
    expect(bad.code).toBe(1);
  });
});
