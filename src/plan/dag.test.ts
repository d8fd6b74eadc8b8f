import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedPipeline, ResolvedStage } from '../spec/types.js';
import { buildStageGraph, findProducers, pathsOverlap, selectStages, stageOutputs } from './dag.js';
import { thrownWeftError } from '../../test/utils/fixtures.js';

function stage(name: string, fields: Partial<ResolvedStage> = {}): ResolvedStage {
  return {
    name,
    cmd: `echo ${name}`,
    wdir: '.',
    deps: [],
    params: [],
    outs: [],
    metrics: [],
    env: {},
    alwaysRun: false,
    location: { file: 'weft.yaml', line: 1, col: 1 },
    ...fields,
  };
}

function pipeline(...stages: ResolvedStage[]): ResolvedPipeline {
  return {
    apiVersion: 'weft.dev/v1',
    kind: 'Pipeline',
    name: 'test',
    file: '/repo/weft.yaml',
    paramsFile: 'params.yaml',
    stages,
  };
}

/** Source files the workspace holds; every other path is absent. */
const existing =
  (...paths: string[]) =>
  (path: string): boolean =>
    paths.includes(path);

function graphOf(...stages: ResolvedStage[]) {
  return buildStageGraph(pipeline(...stages), existing('data/raw.csv', 'src'));
}

describe('stageOutputs', () => {
  it('lists outs then metrics files', () => {
    const s = stage('train', { outs: ['model/'], metrics: ['metrics.json'] });
    expect(stageOutputs(s)).toEqual(['model/', 'metrics.json']);
  });
});

describe('buildStageGraph edges', () => {
  it('links a stage to the stage whose out it names as a dep', () => {
    const graph = graphOf(
      stage('prepare', { deps: ['data/raw.csv'], outs: ['data/train.csv'] }),
      stage('train', { deps: ['data/train.csv'], outs: ['model.onnx'] }),
    );
    expect(graph.upstream.get('train')).toEqual(new Set(['prepare']));
    expect(graph.downstream.get('prepare')).toEqual(new Set(['train']));
    expect(graph.upstream.get('prepare')).toEqual(new Set());
  });

  it('links a dep that lies inside an out directory', () => {
    const graph = graphOf(
      stage('prepare', { outs: ['data/features'] }),
      stage('train', { deps: ['data/features/part-0.csv'] }),
    );
    expect(graph.upstream.get('train')).toEqual(new Set(['prepare']));
  });

  it('links a dep directory that contains an out', () => {
    const graph = graphOf(
      stage('prepare', { outs: ['data/features/part-0.csv'] }),
      stage('train', { deps: ['data/features'] }),
    );
    expect(graph.upstream.get('train')).toEqual(new Set(['prepare']));
  });

  it('links to a stage through its metrics file', () => {
    const graph = graphOf(
      stage('evaluate', { metrics: ['metrics.json'] }),
      stage('report', { deps: ['metrics.json'] }),
    );
    expect(graph.upstream.get('report')).toEqual(new Set(['evaluate']));
    expect(graph.producers.get('metrics.json')).toBe('evaluate');
  });

  it('does not link paths that only share a name prefix', () => {
    const graph = buildStageGraph(
      pipeline(
        stage('prepare', { outs: ['data/train'] }),
        stage('test', { deps: ['data/train.csv'] }),
      ),
      existing('data/train.csv'),
    );
    expect(graph.upstream.get('test')).toEqual(new Set());
  });

  it('adds no edge from a stage to itself when it reads and writes one directory', () => {
    const graph = graphOf(stage('grow', { deps: ['cache'], outs: ['cache'] }));
    expect(graph.upstream.get('grow')).toEqual(new Set());
    expect(graph.order).toEqual(['grow']);
  });

  it('records the producer of every out', () => {
    const graph = graphOf(
      stage('prepare', { outs: ['a.csv', 'b.csv'] }),
      stage('train', { outs: ['model'], metrics: ['m.json'] }),
    );
    expect(Object.fromEntries(graph.producers)).toEqual({
      'a.csv': 'prepare',
      'b.csv': 'prepare',
      model: 'train',
      'm.json': 'train',
    });
  });
});

describe('buildStageGraph order', () => {
  it('keeps declaration order for independent stages', () => {
    const graph = graphOf(stage('c'), stage('a'), stage('b'));
    expect(graph.order).toEqual(['c', 'a', 'b']);
  });

  it('puts producers before consumers whatever the declaration order', () => {
    const graph = graphOf(
      stage('evaluate', { deps: ['model'] }),
      stage('train', { deps: ['train.csv'], outs: ['model'] }),
      stage('prepare', { outs: ['train.csv'] }),
    );
    expect(graph.order).toEqual(['prepare', 'train', 'evaluate']);
  });

  it('keeps declaration order among stages that become ready together', () => {
    const graph = graphOf(
      stage('z-report', { deps: ['x', 'y'] }),
      stage('y-make', { deps: ['base'], outs: ['y'] }),
      stage('x-make', { deps: ['base'], outs: ['x'] }),
      stage('base', { outs: ['base'] }),
      stage('lonely'),
    );
    expect(graph.order).toEqual(['base', 'lonely', 'y-make', 'x-make', 'z-report']);
  });
});

describe('buildStageGraph rejects pipelines that cannot run', () => {
  it('names the stages on a cycle', () => {
    const error = thrownWeftError(() =>
      graphOf(
        stage('a', { deps: ['b.out'], outs: ['a.out'] }),
        stage('b', { deps: ['a.out'], outs: ['b.out'] }),
      ),
    );
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain('cycle: a -> b -> a');
  });

  it('names only the cycle, not the stages that hang off it', () => {
    const error = thrownWeftError(() =>
      graphOf(
        stage('tail', { deps: ['x.out'] }),
        stage('x', { deps: ['z.out'], outs: ['x.out'] }),
        stage('y', { deps: ['x.out'], outs: ['y.out'] }),
        stage('z', { deps: ['y.out'], outs: ['z.out'] }),
      ),
    );
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain('cycle: x -> z -> y -> x');
    expect(error.message).not.toContain('tail');
  });

  it('names both stages and the path when two stages write the same out', () => {
    const error = thrownWeftError(() =>
      graphOf(stage('one', { outs: ['model.onnx'] }), stage('two', { outs: ['model.onnx'] })),
    );
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain(
      'out model.onnx of stage two overlaps out model.onnx of stage one',
    );
  });

  it('names both stages and paths when a file out lies inside another stage out directory', () => {
    const error = thrownWeftError(() =>
      graphOf(stage('one', { outs: ['model'] }), stage('two', { metrics: ['model/metrics.json'] })),
    );
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain(
      'out model/metrics.json of stage two overlaps out model of stage one',
    );
  });

  it('names both stages and paths when a directory out contains another stage out', () => {
    const error = thrownWeftError(() =>
      graphOf(stage('one', { outs: ['data/train.csv'] }), stage('two', { outs: ['data'] })),
    );
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain(
      'out data of stage two overlaps out data/train.csv of stage one',
    );
  });

  it('names the stage and the dep that neither exists nor is written by a stage', () => {
    const error = thrownWeftError(() =>
      graphOf(
        stage('prepare', { deps: ['data/raw.csv', 'data/missing.csv'], outs: ['train.csv'] }),
      ),
    );
    expect(error.code).toBe('PIPELINE_INVALID');
    expect(error.message).toContain(
      'stage prepare: dep data/missing.csv does not exist and no stage writes it',
    );
    expect(error.message).not.toContain('raw.csv');
  });

  it('accepts a dep that exists in the workspace though no stage writes it', () => {
    const graph = graphOf(stage('prepare', { deps: ['data/raw.csv', 'src'] }));
    expect(graph.order).toEqual(['prepare']);
  });

  it('asks the workspace only about deps no stage writes', () => {
    const asked: string[] = [];
    buildStageGraph(
      pipeline(
        stage('prepare', { outs: ['train.csv'] }),
        stage('train', { deps: ['train.csv', 'src/train.js'] }),
      ),
      (path) => {
        asked.push(path);
        return true;
      },
    );
    expect(asked).toEqual(['src/train.js']);
  });
});

describe('selectStages', () => {
  const graph = graphOf(
    stage('prepare', { outs: ['train.csv', 'test.csv'] }),
    stage('train', { deps: ['train.csv'], outs: ['model'] }),
    stage('evaluate', { deps: ['model', 'test.csv'], metrics: ['metrics.json'] }),
    stage('docs', { outs: ['site'] }),
  );

  it('returns every stage in graph order when no target is given', () => {
    expect(graph.order).toEqual(['prepare', 'docs', 'train', 'evaluate']);
    expect(selectStages(graph, [])).toEqual(graph.order);
  });

  it('returns the target and its upstream stages in topological order', () => {
    expect(selectStages(graph, ['evaluate'])).toEqual(['prepare', 'train', 'evaluate']);
    expect(selectStages(graph, ['train'])).toEqual(['prepare', 'train']);
  });

  it('leaves out downstream and unrelated stages', () => {
    expect(selectStages(graph, ['prepare'])).toEqual(['prepare']);
    expect(selectStages(graph, ['docs'])).toEqual(['docs']);
  });

  it('merges several targets without duplicates, in graph order', () => {
    expect(selectStages(graph, ['docs', 'evaluate', 'train'])).toEqual([
      'prepare',
      'docs',
      'train',
      'evaluate',
    ]);
  });

  it('rejects an unknown stage with USAGE and lists the stages', () => {
    const error = thrownWeftError(() => selectStages(graph, ['trian']));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(
      'failed to select stage trian: no such stage (stages: prepare, docs, train, evaluate)',
    );
  });
});

/** No out is another or inside it: buildStageGraph rejects that. */
const isDisjoint = (outs: string[]): boolean =>
  outs.every((a, i) => outs.every((b, j) => i === j || !pathsOverlap(a, b)));

describe('findProducers', () => {
  it('finds exactly the stages whose outs overlap the path', () => {
    // Few segment names, so that paths often contain, equal or lie inside one another.
    const pathArb = fc
      .array(fc.constantFrom('a', 'b', 'a.txt', ''), { minLength: 1, maxLength: 4 })
      .map((segments) => segments.join('/'));
    fc.assert(
      fc.property(
        fc.uniqueArray(pathArb, { maxLength: 6 }).filter(isDisjoint),
        pathArb,
        (outs, path) => {
          const stages = outs.map((out, i) => stage(`s${i}`, { outs: [out] }));
          const { producers, writersInside } = buildStageGraph(pipeline(...stages), () => true);
          const expected = [...producers].filter(([out]) => pathsOverlap(path, out));
          expect(new Set(findProducers({ producers, writersInside }, path))).toEqual(
            new Set(expected.map(([, name]) => name)),
          );
        },
      ),
    );
  });
});
