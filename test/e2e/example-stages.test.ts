import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import onnxProto from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleRepo, git, type ExampleRepo } from '../utils/example-repo.js';

// The bundled example's stages run directly with node, as `weft run` would run them, in a fresh
// Git repo made from examples/penguins. This pins the example's contract that weft's own e2e
// tests rely on: outputs where weft.yaml says, a deterministic model, metrics with groups.

const execFileAsync = promisify(execFile);

const FEATURE_NAMES = [
  'bill_length_mm',
  'bill_depth_mm',
  'flipper_length_mm',
  'body_mass_g',
  'island_Biscoe',
  'island_Dream',
  'island_Torgersen',
];
const CLASS_NAMES = ['Adelie', 'Chinstrap', 'Gentoo'];

interface Metrics {
  accuracy: number;
  macro_f1: number;
  log_loss: number;
  n_test: number;
  per_group: { sex: Record<string, { accuracy: number; n: number }> };
}

let repo: ExampleRepo;
const stageOutput: Record<string, string> = {};

async function runStage(name: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [`src/${name}.mjs`], { cwd: repo.dir });
  return stdout;
}

async function readCsvRows(path: string): Promise<Record<string, string>[]> {
  const [header = '', ...lines] = (await readFile(join(repo.dir, path), 'utf8')).trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

/** The model's raw input for one row, built here independently of src/features.mjs. */
function encodeRow(row: Record<string, string>): number[] {
  const islands = ['Biscoe', 'Dream', 'Torgersen'].map((island) => (row.island === island ? 1 : 0));
  return [...FEATURE_NAMES.slice(0, 4).map((name) => Number(row[name])), ...islands];
}

beforeAll(async () => {
  repo = await createExampleRepo();
  for (const stage of ['prepare', 'train', 'evaluate']) stageOutput[stage] = await runStage(stage);
});

afterAll(async () => {
  await repo?.cleanup();
});

describe('penguins example stages', () => {
  it('prepare splits the complete rows into train and test, stratified by species', async () => {
    const train = await readCsvRows('data/train.csv');
    const test = await readCsvRows('data/test.csv');
    // 344 rows, 11 with a missing value.
    expect(train.length + test.length).toBe(333);
    expect(test.length).toBe(84);
    for (const row of [...train, ...test]) expect(Object.values(row)).not.toContain('');
    for (const species of CLASS_NAMES) {
      expect(test.filter((row) => row.species === species).length).toBeGreaterThan(10);
    }
  });

  it('train writes a byte-identical model.onnx on a second run', async () => {
    const first = await readFile(join(repo.dir, 'model/model.onnx'));
    expect(first.length).toBeGreaterThan(200);
    await runStage('train');
    const second = await readFile(join(repo.dir, 'model/model.onnx'));
    expect(second.equals(first)).toBe(true);
  });

  it('train stores feature and class names in the model metadata', async () => {
    const model = onnxProto.onnx.ModelProto.decode(
      await readFile(join(repo.dir, 'model/model.onnx')),
    );
    const metadata = new Map(model.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => Number(o.version))).toEqual([13]);
    expect(JSON.parse(metadata.get('feature_names') ?? 'null')).toEqual(FEATURE_NAMES);
    expect(JSON.parse(metadata.get('classes') ?? 'null')).toEqual(CLASS_NAMES);
  });

  it('evaluate writes metrics.json that passes the accuracy gate, with both sex groups', async () => {
    const metrics = JSON.parse(await readFile(join(repo.dir, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(metrics.macro_f1).toBeGreaterThanOrEqual(0.9);
    expect(metrics.log_loss).toBeGreaterThan(0);
    expect(metrics.n_test).toBe(84);
    const { female, male } = metrics.per_group.sex;
    expect(female?.n).toBeGreaterThan(0);
    expect(male?.n).toBeGreaterThan(0);
    expect((female?.n ?? 0) + (male?.n ?? 0)).toBe(metrics.n_test);
    expect(stageOutput.evaluate).toContain(`accuracy ${metrics.accuracy}`);
  });

  it('the model label output is the argmax of its probabilities', async () => {
    const rows = (await readCsvRows('data/test.csv')).slice(0, 6);
    const session = await InferenceSession.create(join(repo.dir, 'model/model.onnx'));
    const input = new Tensor('float32', Float32Array.from(rows.flatMap(encodeRow)), [
      rows.length,
      FEATURE_NAMES.length,
    ]);
    const { probabilities, label } = await session.run({ features: input });
    expect(probabilities?.dims).toEqual([rows.length, 3]);
    expect(label?.type).toBe('int64');
    const p = Array.from(probabilities?.data as Float32Array);
    const labels = Array.from(label?.data as BigInt64Array, Number);
    rows.forEach((_, i) => {
      const row = p.slice(i * 3, i * 3 + 3);
      expect(row.reduce((sum, v) => sum + v, 0)).toBeCloseTo(1, 5);
      expect(labels[i]).toBe(row.indexOf(Math.max(...row)));
    });
  });

  it('leaves only metrics.json to commit: stage outputs and node_modules are ignored', async () => {
    expect((await git(repo.dir, 'log', '--format=%s')).trim()).toBe('initial');
    expect((await git(repo.dir, 'status', '--porcelain')).trim()).toBe('?? metrics.json');
  });
});
