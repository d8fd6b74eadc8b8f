import { readFile, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../src/evaluate/types.js';
import { createRepo, weft, WEFT_BIN, type TempRepo } from '../utils/weft-cli.js';

const EXPORT_BUNDLE = resolve(WEFT_BIN, '../../export/index.js');
const NODE_MODULES = resolve(WEFT_BIN, '../../../node_modules');

/** A training script as a user would write it: ml.js trains, weft/export writes the ONNX file. */
const TRAIN = `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { RandomForestClassifier } from 'ml-random-forest';
import { exportRandomForestClassifier } from '${pathToFileURL(EXPORT_BUNDLE).href}';

const [header, ...lines] = readFileSync('data.csv', 'utf8').trim().split('\\n');
const rows = lines.map((line) => line.split(',').map(Number));
const features = rows.map((row) => row.slice(0, 2));
const labels = rows.map((row) => row[2]);
const forest = new RandomForestClassifier({ nEstimators: 15, seed: 3, noOOB: true });
forest.train(features, labels);
const predicted = forest.predict(features);
const accuracy = predicted.filter((p, i) => p === labels[i]).length / labels.length;
mkdirSync('model', { recursive: true });
const names = header.split(',').slice(0, 2);
writeFileSync('model/model.onnx', exportRandomForestClassifier(forest, { featureNames: names, classes: ['no', 'yes'] }));
writeFileSync('metrics.json', JSON.stringify({ accuracy }));
`;

function dataset(): string {
  const lines = ['x,y,label,group'];
  for (let i = 0; i < 120; i++) {
    const x = (i * 37) % 101;
    const y = (i * 53) % 89;
    const label = x + y > 95 !== (i % 11 === 0) ? 'yes' : 'no';
    lines.push(`${x},${y},${label === 'yes' ? 1 : 0},${i % 3 === 0 ? 'a' : 'b'}`);
  }
  return lines.join('\n') + '\n';
}

describe('a model trained with ml.js and exported by weft/export', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await createRepo({
      'weft.yaml': `apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: forest }
spec:
  stages:
    train:
      cmd: node train.mjs
      deps: [data.csv, train.mjs]
      outs: [model/model.onnx]
      metrics: [metrics.json]
  model: { name: forest, artifact: model/model.onnx }
  evaluation:
    dataset: data.csv
    label: label
    features: [x, y]
    sensitive: [group]
    classes: ['0', '1']
`,
      'train.mjs': TRAIN,
      'data.csv': dataset(),
    });
    await symlink(NODE_MODULES, join(repo.dir, 'node_modules'), 'dir');
  });
  afterAll(async () => repo.cleanup());

  it('is registered and evaluated by ONNX Runtime with the accuracy ml.js computed itself', async () => {
    const run = await weft(repo.dir, ['run', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const evaluated = await weft(repo.dir, ['evaluate', '--json']);
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout) as EvaluationResult;
    const trained = JSON.parse(await readFile(join(repo.dir, 'metrics.json'), 'utf8')) as {
      accuracy: number;
    };
    expect(result.metrics.task).toBe('classification');
    expect(result.metrics).toMatchObject({ accuracy: trained.accuracy });
    expect(trained.accuracy).toBeGreaterThan(0.8);
    expect(result.fairness[0]?.groups.map((g) => g.group)).toEqual(['a', 'b']);
  });
});
