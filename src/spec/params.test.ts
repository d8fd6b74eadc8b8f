import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError, WeftError } from '../core/errors.js';
import { listParamPaths, lookupParam, selectParams } from './param-paths.js';
import { parseParams, validateParamRefs } from './params.js';
import type { ParamRef } from './params.js';

const PARAMS = {
  prepare: { split: 0.2 },
  train: { lr: 0.1, layers: [8, 4], opt: { name: 'adam' } },
};

function problemsOf(text: string, file = 'params.yaml'): string[] {
  try {
    parseParams(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as SpecError).message.split('\n');
  }
  throw new Error('expected a SpecError');
}

describe('parseParams', () => {
  it('reads a plain mapping, as DVC does', () => {
    expect(parseParams('train:\n  lr: 0.1\n  epochs: 3\n', 'params.yaml')).toEqual({
      train: { lr: 0.1, epochs: 3 },
    });
  });

  it('reads an empty file as no params', () => {
    expect(parseParams('# nothing yet\n', 'params.yaml')).toEqual({});
  });

  it('uses the spec of a kind: Params document', () => {
    const text =
      'apiVersion: weft.dev/v1\nkind: Params\nmetadata: { name: p }\nspec:\n  train: { lr: 0.1 }\n';
    expect(parseParams(text, 'params.yaml')).toEqual({ train: { lr: 0.1 } });
  });

  it('checks a kind: Params document strictly', () => {
    const text = 'apiVersion: weft.dev/v9\nkind: Pipeline\nspecc: {}\n';
    expect(problemsOf(text)).toEqual([
      'params.yaml:1:1: required key "spec" is missing',
      'params.yaml:1:13: apiVersion: expected "weft.dev/v1", got "weft.dev/v9"',
      'params.yaml:2:7: kind: expected "Params", got "Pipeline"',
      'params.yaml:3:1: specc: unknown key "specc" (did you mean "spec"?)',
    ]);
  });

  it('rejects a list at top level', () => {
    expect(problemsOf('- 1\n- 2\n')).toEqual([
      'params.yaml:1:1: expected a mapping of parameter values, got a list',
    ]);
  });

  it('reports malformed YAML in the params file at its position', () => {
    expect(problemsOf('train:\n  lr: 0.1\n  lr: 0.2\n', 'conf/p.yaml')).toEqual([
      'conf/p.yaml:3:3: train.lr: invalid YAML: key "lr" appears twice in the same mapping',
    ]);
  });
});

describe('selectParams', () => {
  it('selects a value by dotted path and a whole section by its name', () => {
    expect(selectParams(PARAMS, ['train.lr', 'prepare', 'train.layers.1'])).toEqual({
      'train.lr': 0.1,
      prepare: { split: 0.2 },
      'train.layers.1': 4,
    });
  });

  it('throws on a path that does not exist', () => {
    expect(() => selectParams(PARAMS, ['train.lrr'])).toThrow(WeftError);
  });

  it('treats a param named __proto__ as a plain key', () => {
    const params = parseParams('__proto__: { a: 1 }\n', 'params.yaml');
    const selected = selectParams(params, ['__proto__', '__proto__.a']);
    expect(Object.keys(selected)).toEqual(['__proto__', '__proto__.a']);
    expect(selected['__proto__.a']).toBe(1);
    expect(Object.getPrototypeOf(selected)).toBe(Object.prototype);
  });

  it('does not see inherited properties as params', () => {
    expect(lookupParam(PARAMS, 'train.toString')).toEqual({ found: false });
    expect(lookupParam(PARAMS, 'train.layers.length')).toEqual({ found: false });
  });

  it('agrees with direct property access for every path (property)', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/);
    const tree = fc.letrec((tie) => ({
      node: fc.dictionary(
        key,
        fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), tie('node')),
        { maxKeys: 4 },
      ),
    })).node;
    fc.assert(
      fc.property(tree, (params) => {
        for (const path of listParamPaths(params)) {
          const direct = path
            .split('.')
            .reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], params);
          expect(selectParams(params, [path])).toEqual({ [path]: direct });
        }
      }),
    );
  });
});

describe('validateParamRefs', () => {
  const ref = (path: string, line: number): ParamRef => ({
    stage: 'train',
    path,
    key: `spec.stages.train.params[${line}]`,
    location: { file: 'weft.yaml', line, col: 17 },
  });

  it('reports each missing param at its entry, with a suggestion when one is close', () => {
    expect(
      validateParamRefs(
        [ref('train.lr', 1), ref('train.lrr', 2), ref('zzz', 3)],
        PARAMS,
        'params.yaml',
      ),
    ).toEqual([
      {
        file: 'weft.yaml',
        line: 2,
        col: 17,
        key: 'spec.stages.train.params[2]',
        message: 'param train.lrr not found in params.yaml (did you mean train.lr?)',
      },
      {
        file: 'weft.yaml',
        line: 3,
        col: 17,
        key: 'spec.stages.train.params[3]',
        message: 'param zzz not found in params.yaml',
      },
    ]);
  });
});
