import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleRepo, type ExampleRepo } from '../utils/example-repo.js';
import { weft } from '../utils/weft-cli.js';

const PYTHON = '/usr/bin/python3';
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** The example's stages run Debian's Python; without its packages the test fails, saying why. */
function requirePythonPackages(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn, onnx, yaml'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `the iris-sklearn example needs scikit-learn, onnx and PyYAML for ${PYTHON}: install the ` +
        'Debian packages python3-sklearn python3-onnx python3-yaml (apt-get install python3-sklearn python3-onnx python3-yaml)',
      { cause: error },
    );
  }
}

/** Rows of a small CSV without quoting (what the example's stages write), header dropped. */
async function readCsv(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const [header = '', ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  return { header: header.split(','), rows: lines.map((line) => line.split(',')) };
}

async function predictWithOnnxRuntime(model: string, features: number[][]) {
  const session = await InferenceSession.create(model);
  try {
    const input = new Tensor('float32', Float32Array.from(features.flat()), [features.length, 4]);
    const { label, probabilities } = await session.run({ features: input });
    return {
      labels: Array.from(label!.data as BigInt64Array, Number),
      probabilities: Array.from(probabilities!.data as Float32Array),
    };
  } finally {
    await session.release();
  }
}

describe('the scikit-learn example (iris-sklearn)', () => {
  let repo: ExampleRepo | undefined;
  beforeAll(async () => {
    requirePythonPackages();
    repo = await createExampleRepo({ example: 'iris-sklearn' });
  });
  afterAll(async () => repo?.cleanup());

  it('runs and registers iris@1 with the ONNX signature train.py wrote', async () => {
    const dir = repo!.dir;
    const run = await weft(dir, ['run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/model iris: registered version 1 \(sha256:/);

    const show = await weft(dir, ['models', 'show', 'iris@1', '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      name: 'iris',
      version: 1,
      artifactPath: 'model/model.onnx',
      stage: 'train',
      params: { prepare: { seed: 42, test_ratio: 0.3 }, train: { C: 1, max_iter: 1000 } },
      signature: {
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        ],
      },
    });
  });

  it('predicts with ONNX Runtime what scikit-learn predicts on the test rows', async () => {
    const dir = repo!.dir;
    const test = await readCsv(join(dir, 'data/test.csv'));
    const columns = FEATURES.map((name) => test.header.indexOf(name));
    const features = test.rows.map((row) => columns.map((c) => Number(row[c])));
    const sklearn = (await readCsv(join(dir, 'model/sklearn-predictions.csv'))).rows.map((row) =>
      row.map(Number),
    );
    expect(sklearn).toHaveLength(45);

    const onnx = await predictWithOnnxRuntime(join(dir, 'model/model.onnx'), features);
    expect(onnx.labels).toEqual(sklearn.map(([label]) => label));
    expect(new Set(onnx.labels).size).toBe(3);
    sklearn.forEach(([, ...expected], i) =>
      expected.forEach((p, k) =>
        // float32 features in, float32 probabilities out: a few 1e-7 from scikit-learn's float64.
        expect(Math.abs((onnx.probabilities[i * 3 + k] ?? NaN) - p)).toBeLessThan(1e-6),
      ),
    );
  });

  it('passes its accuracy gate when weft validates it on the test rows', async () => {
    const result = await weft(repo!.dir, ['validate', 'iris@1', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { validation } = JSON.parse(result.stdout) as {
      validation: { passed: boolean; gates: { gate: string; passed: boolean }[] };
    };
    expect(validation.passed).toBe(true);
    expect(validation.gates).toMatchObject([{ gate: 'accuracy >= 0.85', passed: true }]);
  });

  it('rebuilds the model bit for bit from its commit', async () => {
    const result = await weft(repo!.dir, ['reproduce', 'iris@1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/iris@1: bit-identical/);
  });
});
