import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, WeftError } from '../core/errors.js';
import { readPipeline } from './read-pipeline.js';
import { useTempRepo } from './temp-repo.testing.js';

const PIPELINE = `apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: credit }
spec:
  stages:
    prepare:
      cmd: node prepare.mjs
      params: [prepare]
    train:
      cmd: node train.mjs
      params: [train.lr, train.epochs]
`;

const repo = useTempRepo('weft-spec-');

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.unreachable('expected readPipeline to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WeftError);
  return (error as Error).message;
}

describe('readPipeline', () => {
  it('reads weft.yaml and its params', async () => {
    await repo.write({
      'weft.yaml': PIPELINE,
      'params.yaml': 'prepare: { split: 0.2 }\ntrain: { lr: 0.1, epochs: 3 }\n',
    });
    const { pipeline, params } = await readPipeline(repo.root);
    expect(pipeline.file).toBe(join(repo.root, 'weft.yaml'));
    expect(pipeline.stages.map((s) => s.params)).toEqual([
      ['prepare'],
      ['train.lr', 'train.epochs'],
    ]);
    expect(params).toEqual({ prepare: { split: 0.2 }, train: { lr: 0.1, epochs: 3 } });
  });

  it('says how to create weft.yaml when there is none', async () => {
    const error = await readPipeline(repo.root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeftError);
    expect(error).not.toBeInstanceOf(SpecError);
    expect((error as WeftError).code).toBe('SPEC_INVALID');
    expect((error as WeftError).message).toBe(
      `failed to read weft.yaml: no such file in ${repo.root}; run \`weft init\` to create one`,
    );
  });

  it('reads another file name and the params file it names', async () => {
    const text = PIPELINE.replace('spec:\n', 'spec:\n  params: conf/p.yaml\n');
    await repo.write({
      'ci/weft.yaml': text,
      'conf/p.yaml': 'prepare: 1\ntrain: { lr: 1, epochs: 2 }\n',
    });
    const { pipeline, params } = await readPipeline(repo.root, 'ci/weft.yaml');
    expect(pipeline.paramsFile).toBe('conf/p.yaml');
    expect(params).toEqual({ prepare: 1, train: { lr: 1, epochs: 2 } });
  });

  it('accepts a missing params file when no stage selects params', async () => {
    await repo.write({
      'weft.yaml':
        'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: {name: a}\nspec: {stages: {a: {cmd: x}}}\n',
    });
    expect((await readPipeline(repo.root)).params).toEqual({});
  });

  it('names the missing params file at the first stage that needs it', async () => {
    await repo.write({ 'weft.yaml': PIPELINE });
    expect(await messageOf(readPipeline(repo.root))).toBe(
      'weft.yaml:8:16: spec.stages.prepare.params[0]: params file params.yaml not found in the repository (stage prepare selects param prepare)',
    );
  });

  it('names the missing params file at spec.params when it is set', async () => {
    await repo.write({
      'weft.yaml': PIPELINE.replace('spec:\n', 'spec:\n  params: conf/p.yaml\n'),
    });
    expect(await messageOf(readPipeline(repo.root))).toBe(
      'weft.yaml:5:11: spec.params: params file conf/p.yaml not found in the repository (stage prepare selects param prepare)',
    );
  });

  it('reports a param reference that does not exist, at its entry, with a suggestion', async () => {
    await repo.write({
      'weft.yaml': PIPELINE,
      'params.yaml': 'prepare: {}\ntrain: { lr: 0.1, epoch: 3 }\n',
    });
    expect(await messageOf(readPipeline(repo.root))).toBe(
      'weft.yaml:11:26: spec.stages.train.params[1]: param train.epochs not found in params.yaml (did you mean train.epoch?)',
    );
  });

  it('lists problems of weft.yaml and the params file together', async () => {
    const text = PIPELINE.replace('cmd: node train.mjs', 'cmd: [node train.mjs]\n      outz: []');
    await repo.write({ 'weft.yaml': text, 'params.yaml': 'train:\n\tlr: 1\n' });
    expect((await messageOf(readPipeline(repo.root))).split('\n')).toEqual([
      'weft.yaml:11:7: spec.stages.train.outz: unknown key "outz" (did you mean "outs"?)',
      'params.yaml:2:1: invalid YAML: tabs are not allowed as indentation',
    ]);
  });

  it('reads a 100-stage pipeline quickly once warm', async () => {
    let text = 'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: {name: big}\nspec:\n  stages:\n';
    for (let i = 0; i < 100; i++) {
      text += `    s${i}:\n      cmd: node s${i}.js\n      deps: [data/${i}.csv]\n      params: [train.lr]\n      outs: [out/${i}.csv]\n`;
    }
    await repo.write({ 'weft.yaml': text, 'params.yaml': 'train: { lr: 0.1 }\n' });
    await readPipeline(repo.root); // warm up: JIT
    let fastest = Infinity;
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      expect((await readPipeline(repo.root)).pipeline.stages).toHaveLength(100);
      fastest = Math.min(fastest, performance.now() - start);
    }
    // A few ms on an idle machine; the bound is loose so a loaded CI box still passes.
    expect(fastest).toBeLessThan(250);
  });
});
