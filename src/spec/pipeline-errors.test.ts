import { describe, expect, it } from 'vitest';
import { SpecError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { parsePipeline } from './pipeline.js';

/** Lines 1-5; the first stage key is on line 6, column 5. */
const HEADER =
  'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: { name: credit }\nspec:\n  stages:\n';

function problemsOf(text: string): Omit<SpecProblem, 'file'>[] {
  try {
    parsePipeline(text, 'weft.yaml', '/repo');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    const problems = (error as SpecError).problems;
    for (const p of problems) expect(p.file).toBe('weft.yaml');
    return problems.map(({ line, col, key, message }) => ({ line, col, key, message }));
  }
  throw new Error('expected a SpecError');
}

describe('parsePipeline rejects malformed YAML at the parser position', () => {
  it('reports an unclosed quote', () => {
    // The yaml library reports where it gave up looking for the quote: the end of the file.
    expect(problemsOf(HEADER + '    train:\n      cmd: "node x.js\n')).toEqual([
      { line: 8, col: 1, key: '', message: 'invalid YAML: missing closing "quote' },
    ]);
  });

  it('reports bad indentation', () => {
    expect(problemsOf(HEADER + '    train:\n      cmd: x\n     deps: [a]\n')).toEqual([
      {
        line: 8,
        col: 1,
        key: 'spec.stages',
        message: 'invalid YAML: all mapping items must start at the same column',
      },
    ]);
  });

  it('reports a duplicate key with its dotted path', () => {
    expect(problemsOf(HEADER + '    train:\n      cmd: a\n      cmd: b\n')).toEqual([
      {
        line: 8,
        col: 7,
        key: 'spec.stages.train.cmd',
        message: 'invalid YAML: key "cmd" appears twice in the same mapping',
      },
    ]);
  });

  it('reports a tab used as indentation', () => {
    expect(problemsOf(HEADER + '    train:\n\tcmd: a\n')).toEqual([
      { line: 7, col: 1, key: '', message: 'invalid YAML: tabs are not allowed as indentation' },
    ]);
  });
});

describe('parsePipeline names unknown keys with a suggestion', () => {
  it('at stage level, formatted as file:line:col: key: message', () => {
    const text = HEADER + '    train:\n      cmdd: node train.js\n';
    try {
      parsePipeline(text, 'weft.yaml', '/repo');
      expect.unreachable();
    } catch (error) {
      expect((error as SpecError).message).toBe(
        [
          'weft.yaml:6:5: spec.stages.train: required key "cmd" is missing',
          'weft.yaml:7:7: spec.stages.train.cmdd: unknown key "cmdd" (did you mean "cmd"?)',
        ].join('\n'),
      );
    }
  });

  it('folds case and separators (always_run -> alwaysRun)', () => {
    expect(problemsOf(HEADER + '    train:\n      cmd: x\n      always_run: true\n')).toEqual([
      {
        line: 8,
        col: 7,
        key: 'spec.stages.train.always_run',
        message: 'unknown key "always_run" (did you mean "alwaysRun"?)',
      },
    ]);
  });

  it('at spec level', () => {
    const text = HEADER.replace('spec:\n', 'spec:\n  parms: p.yaml\n') + '    a: { cmd: x }\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 5,
        col: 3,
        key: 'spec.parms',
        message: 'unknown key "parms" (did you mean "params"?)',
      },
    ]);
  });

  it('at top level', () => {
    expect(problemsOf(HEADER + '    a: { cmd: x }\nspecs: {}\n')).toEqual([
      { line: 7, col: 1, key: 'specs', message: 'unknown key "specs" (did you mean "spec"?)' },
    ]);
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(problemsOf(HEADER + '    a: { cmd: x, owner: me }\n')).toEqual([
      {
        line: 6,
        col: 18,
        key: 'spec.stages.a.owner',
        message:
          'unknown key "owner"; expected one of: cmd, wdir, deps, params, outs, metrics, env, alwaysRun',
      },
    ]);
  });
});

describe('parsePipeline reports schema violations where they are written', () => {
  it('wrong types, saying what was expected and what was found', () => {
    const stage = '    a:\n      cmd: 42\n      deps: data/raw.csv\n      alwaysRun: "yes"\n';
    expect(problemsOf(HEADER + stage)).toEqual([
      {
        line: 7,
        col: 12,
        key: 'spec.stages.a.cmd',
        message: 'expected a string or a list of strings, got a number',
      },
      { line: 8, col: 13, key: 'spec.stages.a.deps', message: 'expected a list, got a string' },
      {
        line: 9,
        col: 18,
        key: 'spec.stages.a.alwaysRun',
        message: 'expected true or false, got a string',
      },
    ]);
  });

  it('a missing required key, at the mapping that lacks it', () => {
    expect(problemsOf(HEADER + '    train:\n      deps: [a.csv]\n')).toEqual([
      { line: 6, col: 5, key: 'spec.stages.train', message: 'required key "cmd" is missing' },
    ]);
  });

  it('an empty command', () => {
    expect(problemsOf(HEADER + '    a:\n      cmd:\n')).toEqual([
      {
        line: 7,
        col: 7,
        key: 'spec.stages.a.cmd',
        message: 'expected a string or a list of strings, got an empty value',
      },
    ]);
  });

  it('a wrong apiVersion', () => {
    const text = HEADER.replace('weft.dev/v1', 'weft.dev/v2') + '    a: { cmd: x }\n';
    expect(problemsOf(text)).toEqual([
      { line: 1, col: 13, key: 'apiVersion', message: 'expected "weft.dev/v1", got "weft.dev/v2"' },
    ]);
  });

  it('a wrong kind', () => {
    const text = HEADER.replace('Pipeline', 'ModelDeployment') + '    a: { cmd: x }\n';
    expect(problemsOf(text)).toEqual([
      { line: 2, col: 7, key: 'kind', message: 'expected "Pipeline", got "ModelDeployment"' },
    ]);
  });

  it('a bad stage name, at the name', () => {
    expect(problemsOf(HEADER + '    a: { cmd: x }\n    _train: { cmd: y }\n')).toEqual([
      {
        line: 7,
        col: 5,
        key: 'spec.stages._train',
        message:
          "invalid name \"_train\": expected letters, digits, '_' and '-', starting with a letter or digit",
      },
    ]);
  });

  it('a bad pipeline name', () => {
    const text = HEADER.replace('name: credit', 'name: Credit_Model') + '    a: { cmd: x }\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 3,
        col: 19,
        key: 'metadata.name',
        message:
          'invalid value "Credit_Model": expected lowercase letters, digits and \'-\', starting and ending with a letter or digit',
      },
    ]);
  });

  it('no stages', () => {
    const text =
      'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: { name: x }\nspec:\n  stages: {}\n';
    expect(problemsOf(text)).toEqual([
      { line: 5, col: 11, key: 'spec.stages', message: 'expected at least one entry' },
    ]);
  });

  it('a gate with no bound', () => {
    const text = HEADER + '    a: { cmd: x }\n  gates:\n    - { metric: accuracy }\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 8,
        col: 7,
        key: 'spec.gates[0]',
        message: 'expected at least one of "min", "max", "noWorseThan", "reproducible"',
      },
    ]);
  });

  it('a document that is not a mapping', () => {
    expect(problemsOf('- a\n- b\n')).toEqual([
      {
        line: 1,
        col: 1,
        key: '',
        message: 'expected a mapping with keys apiVersion, kind, metadata, spec, got a list',
      },
    ]);
  });
});

describe('parsePipeline checks paths', () => {
  it('rejects an absolute path', () => {
    expect(
      problemsOf(HEADER + '    a:\n      cmd: x\n      deps: [ok.csv, /data/raw.csv]\n'),
    ).toEqual([
      {
        line: 8,
        col: 22,
        key: 'spec.stages.a.deps[1]',
        message: '"/data/raw.csv" is absolute; expected a path relative to the repository root',
      },
    ]);
  });

  it('rejects paths that escape the repository, including through wdir and the model', () => {
    const stage = '    a:\n      cmd: x\n      wdir: src/../..\n      outs: [../model.onnx]\n';
    const model = '  model: { name: m, artifact: /tmp/m.onnx }\n';
    expect(problemsOf(HEADER + stage + model)).toEqual([
      {
        line: 8,
        col: 13,
        key: 'spec.stages.a.wdir',
        message: '"src/../.." is outside the repository; expected a path inside it',
      },
      {
        line: 9,
        col: 14,
        key: 'spec.stages.a.outs[0]',
        message: '"../model.onnx" is outside the repository; expected a path inside it',
      },
      {
        line: 10,
        col: 31,
        key: 'spec.model.artifact',
        message: '"/tmp/m.onnx" is absolute; expected a path relative to the repository root',
      },
    ]);
  });

  it('rejects the same output twice across outs and metrics, after normalising', () => {
    const stage = '    a:\n      cmd: x\n      outs: [m.json]\n      metrics: [./m.json]\n';
    expect(problemsOf(HEADER + stage)).toEqual([
      {
        line: 9,
        col: 17,
        key: 'spec.stages.a.metrics[0]',
        message: '"m.json" is already listed at spec.stages.a.outs[0]; list each output once',
      },
    ]);
  });
});

it('parsePipeline lists every problem of a file at once, in file order', () => {
  const text = [
    'apiVersion: weft.dev/v2',
    'kind: Pipeline',
    'metadata: { name: credit }',
    'spec:',
    '  stages:',
    '    train:',
    '      cmdd: x',
    '      deps: [/abs]',
  ].join('\n');
  expect(problemsOf(text).map((p) => `${p.line}:${p.col} ${p.key}`)).toEqual([
    '1:13 apiVersion',
    '6:5 spec.stages.train',
    '7:7 spec.stages.train.cmdd',
    '8:14 spec.stages.train.deps[0]',
  ]);
});

describe('parsePipeline guards the YAML itself', () => {
  it('names a quoted duplicate key without its quotes', () => {
    expect(problemsOf(HEADER + '    a:\n      "cmd": x\n      cmd: y\n')).toEqual([
      {
        line: 8,
        col: 7,
        key: 'spec.stages.a.cmd',
        message: 'invalid YAML: key "cmd" appears twice in the same mapping',
      },
    ]);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const refs = Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ');
      lines.push(`a${i}: &a${i} [${refs}]`);
    }
    const problems = problemsOf(lines.join('\n') + '\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 1, col: 1, key: '' });
    expect(problems[0]?.message).toMatch(/^invalid YAML: .*alias/i);
  });

  it('refuses several documents in one file', () => {
    const text = HEADER + '    a: { cmd: x }\n---\nkind: Pipeline\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 7,
        col: 1,
        key: '',
        message: 'invalid YAML: a second document starts here; a spec file holds one document',
      },
    ]);
  });
});

describe('parsePipeline checks evaluation and gates', () => {
  const EVALUATION =
    '    a: { cmd: x }\n  evaluation: { dataset: data/test.csv, label: y, sensitive: [sex] }\n  gates:\n';

  it('names an unknown metric with a suggestion and the known ones', () => {
    const [problem] = problemsOf(HEADER + EVALUATION + '    - { metric: acuracy, min: 0.9 }\n');
    expect(problem).toMatchObject({ line: 9, col: 17, key: 'spec.gates[0].metric' });
    expect(problem?.message).toMatch(
      /^unknown metric "acuracy"; did you mean "accuracy"\? \(known: /,
    );
  });

  it('names a fairness gap of an attribute that is not sensitive', () => {
    const text = HEADER + EVALUATION + '    - { metric: race.metric_gap, max: 0.1 }\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 9,
        col: 17,
        key: 'spec.gates[0].metric',
        message: '"race" is not a sensitive attribute of spec.evaluation (listed: sex)',
      },
    ]);
  });

  it('accepts per-attribute gaps and a reproducibility gate', () => {
    const text =
      HEADER +
      EVALUATION +
      '    - { metric: sex.demographic_parity_ratio, min: 0.8 }\n    - { reproducible: true }\n';
    const { gates } = parsePipeline(text, 'weft.yaml', '/repo');
    expect(gates?.map((g) => g.kind)).toEqual(['metric', 'reproducible']);
  });

  it('refuses a metric gate without an evaluation section', () => {
    const text = HEADER + '    a: { cmd: x }\n  gates:\n    - { metric: accuracy, min: 0.9 }\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 8,
        col: 7,
        key: 'spec.gates[0]',
        message: 'a metric gate needs spec.evaluation to say which dataset to evaluate on',
      },
    ]);
  });

  it('refuses a positive class that is not one of the classes', () => {
    const text =
      HEADER +
      '    a: { cmd: x }\n  evaluation: { dataset: t.csv, label: y, classes: [no, yes], positiveClass: maybe }\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 7,
        col: 78,
        key: 'spec.evaluation.positiveClass',
        message: '"maybe" is not one of classes',
      },
    ]);
  });
});
