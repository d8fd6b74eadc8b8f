import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePipeline } from './pipeline.js';
import type { ResolvedPipeline } from './types.js';

const FULL = `# yaml-language-server: $schema=https://weft.dev/schema/pipeline.schema.json
apiVersion: weft.dev/v1
kind: Pipeline
metadata:
  name: credit
  labels: { team: risk }
spec:
  params: ./config/params.yaml
  stages:
    prepare:
      cmd: node src/prepare.mjs
      deps: [data/raw.csv, ./src/prepare.mjs, data/raw.csv]
      params: [prepare]
      outs: [data/train.csv, data\\test.csv]
    train:
      cmd:
        - node src/train.mjs
        - node src/export.mjs
      wdir: ./src/
      deps: [data/train.csv, src//train.mjs]
      params: [train.lr, train]
      outs: [model/]
      metrics: [metrics.json]
      env: { SEED: "1" }
      alwaysRun: true
  model: { name: credit, artifact: ./model/model.onnx }
  evaluation: { dataset: data/./test.csv, label: approved, features: [age, income], sensitive: [sex] }
  gates:
    - { metric: accuracy, min: 0.80 }
    - { metric: accuracy, noWorseThan: production, tolerance: 0.01, relative: true }
`;

const EXPECTED: ResolvedPipeline = {
  apiVersion: 'weft.dev/v1',
  kind: 'Pipeline',
  name: 'credit',
  file: '/repo/weft.yaml',
  paramsFile: 'config/params.yaml',
  stages: [
    {
      name: 'prepare',
      cmd: 'node src/prepare.mjs',
      wdir: '.',
      deps: ['data/raw.csv', 'src/prepare.mjs'],
      params: ['prepare'],
      outs: ['data/train.csv', 'data/test.csv'],
      metrics: [],
      env: {},
      alwaysRun: false,
      location: { file: 'weft.yaml', line: 10, col: 5 },
    },
    {
      name: 'train',
      cmd: 'node src/train.mjs && node src/export.mjs',
      wdir: 'src',
      deps: ['data/train.csv', 'src/train.mjs'],
      params: ['train.lr', 'train'],
      outs: ['model'],
      metrics: ['metrics.json'],
      env: { SEED: '1' },
      alwaysRun: true,
      location: { file: 'weft.yaml', line: 15, col: 5 },
    },
  ],
  model: { name: 'credit', artifact: 'model/model.onnx' },
  evaluation: {
    dataset: 'data/test.csv',
    label: 'approved',
    features: ['age', 'income'],
    sensitive: ['sex'],
    importance: { repeats: 5, seed: 0 },
    bootstrap: { samples: 200, level: 0.95, seed: 0 },
  },
  gates: [
    {
      kind: 'metric',
      metric: 'accuracy',
      min: 0.8,
      tolerance: 0,
      relative: false,
      location: { file: 'weft.yaml', line: 29, col: 7 },
    },
    {
      kind: 'metric',
      metric: 'accuracy',
      noWorseThan: 'production',
      tolerance: 0.01,
      relative: true,
      location: { file: 'weft.yaml', line: 30, col: 7 },
    },
  ],
};

describe('parsePipeline', () => {
  it('resolves a full document: defaults, normalised paths, joined cmd list, locations', () => {
    expect(parsePipeline(FULL, 'weft.yaml', '/repo')).toEqual(EXPECTED);
  });

  it('defaults the params file to params.yaml and leaves optional sections out', () => {
    const text =
      'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: {name: x}\nspec: {stages: {a: {cmd: x}}}\n';
    const pipeline = parsePipeline(text, 'weft.yaml', '/repo');
    expect(pipeline.paramsFile).toBe('params.yaml');
    expect(pipeline).not.toHaveProperty('model');
    expect(pipeline).not.toHaveProperty('gates');
  });

  it('keeps stages in declaration order', () => {
    const stages = Object.fromEntries(['z', 'a', 'm'].map((n) => [n, { cmd: n }]));
    const text = stringify({
      apiVersion: 'weft.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'o' },
      spec: { stages },
    });
    expect(parsePipeline(text, 'weft.yaml', '/r').stages.map((s) => s.name)).toEqual([
      'z',
      'a',
      'm',
    ]);
  });
});

const segment = fc
  .stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,7}$/)
  .filter((s) => s !== '.' && s !== '..');
const repoPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const stageArb = fc
  .record(
    {
      cmd: fc.oneof(
        fc.string({ minLength: 1 }),
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
      ),
      wdir: repoPath,
      deps: fc.uniqueArray(repoPath, { maxLength: 4 }),
      params: fc.uniqueArray(
        fc
          .array(
            segment.filter((s) => !s.includes('.')),
            { minLength: 1, maxLength: 3 },
          )
          .map((s) => s.join('.')),
        { maxLength: 3 },
      ),
      written: fc.uniqueArray(repoPath, { maxLength: 4 }),
      metricCount: fc.nat({ max: 4 }),
      env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), fc.string(), { maxKeys: 3 }),
      alwaysRun: fc.boolean(),
    },
    { requiredKeys: ['cmd'] },
  )
  .map(({ written, metricCount, ...rest }) => {
    const outs = (written ?? []).slice((written ?? []).length - (metricCount ?? 0));
    const metrics = (written ?? []).slice(0, (written ?? []).length - outs.length);
    return { ...rest, ...(written ? { outs, metrics } : {}) };
  });

describe('parsePipeline (property)', () => {
  it('returns the stages of any valid stage map written as YAML', () => {
    const names = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,10}$/);
    fc.assert(
      fc.property(fc.dictionary(names, stageArb, { minKeys: 1, maxKeys: 6 }), (stages) => {
        const doc = {
          apiVersion: 'weft.dev/v1',
          kind: 'Pipeline',
          metadata: { name: 'p' },
          spec: { stages },
        };
        const resolved = parsePipeline(stringify(doc), 'weft.yaml', '/repo').stages;
        const expected = Object.entries(stages).map(([name, s]) => ({
          name,
          cmd: Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd,
          wdir: s.wdir ?? '.',
          deps: s.deps ?? [],
          params: s.params ?? [],
          outs: s.outs ?? [],
          metrics: s.metrics ?? [],
          env: s.env ?? {},
          alwaysRun: s.alwaysRun ?? false,
        }));
        expect(resolved.map(({ location: _location, ...rest }) => rest)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
