import { describe, expect, it } from 'vitest';
import { SpecError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { parseDeployment } from './deployment.js';

/** Lines 1-7: the model is named by version on line 7; whatever a test adds starts on line 8. */
const BASE = `apiVersion: weft.dev/v1
kind: ModelDeployment
metadata: { name: penguins }
spec:
  model:
    name: penguins
    version: 3
`;

function problemsOf(text: string): Omit<SpecProblem, 'file'>[] {
  try {
    parseDeployment(text, 'deploy/penguins.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    const problems = (error as SpecError).problems;
    for (const p of problems) expect(p.file).toBe('deploy/penguins.yaml');
    return problems.map(({ line, col, key, message }) => ({ line, col, key, message }));
  }
  throw new Error('expected a SpecError');
}

const canary = (settings: string): string =>
  `${BASE}  strategy:\n    type: canary\n    canary: ${settings}\n`;

describe('parseDeployment reports unknown keys with a suggestion', () => {
  it('formatted as file:line:col: key: message', () => {
    const text = BASE + '  strategy:\n    type: canary\n    canary: { step: [10, 100] }\n';
    expect(() => parseDeployment(text, 'deploy/penguins.yaml')).toThrow(
      'deploy/penguins.yaml:10:15: spec.strategy.canary.step: unknown key "step" (did you mean "steps"?)',
    );
  });

  it('folds case and separators (self_heal -> selfHeal)', () => {
    expect(problemsOf(BASE + '  self_heal: false\n')).toEqual([
      {
        line: 8,
        col: 3,
        key: 'spec.self_heal',
        message: 'unknown key "self_heal" (did you mean "selfHeal"?)',
      },
    ]);
  });

  it('suggests the closest allowed value of an enum', () => {
    expect(problemsOf(BASE + '  strategy: { type: canery }\n')).toEqual([
      {
        line: 8,
        col: 21,
        key: 'spec.strategy.type',
        message:
          'invalid value "canery": expected one of replace, canary, shadow, bluegreen (did you mean "canary"?)',
      },
    ]);
  });
});

describe('parseDeployment checks the model selector', () => {
  it('refuses two selectors, at the second', () => {
    expect(problemsOf(BASE + '    alias: production\n')).toEqual([
      {
        line: 8,
        col: 5,
        key: 'spec.model.alias',
        message:
          '"version" and "alias" both select the version to serve; keep one of them (only follow may go with version)',
      },
    ]);
  });

  it('refuses follow with an alias, but not with a version', () => {
    const follow = '    follow: { branch: main }\n';
    expect(problemsOf(BASE.replace('version: 3', 'alias: production') + follow)).toEqual([
      {
        line: 8,
        col: 5,
        key: 'spec.model.follow',
        message:
          '"alias" and "follow" both select the version to serve; keep one of them (only follow may go with version)',
      },
    ]);
    expect(() => parseDeployment(BASE + follow, 'deploy/penguins.yaml')).not.toThrow();
  });

  it('asks for a selector when there is none', () => {
    expect(problemsOf(BASE.replace('    version: 3\n', ''))).toEqual([
      {
        line: 5,
        col: 3,
        key: 'spec.model',
        message: 'expected at least one of "version", "alias", "digest", "follow"',
      },
    ]);
  });
});

describe('parseDeployment checks durations', () => {
  it('refuses a duration it cannot read', () => {
    expect(problemsOf(canary('{ interval: 30 sec }'))).toEqual([
      {
        line: 10,
        col: 25,
        key: 'spec.strategy.canary.interval',
        message:
          'invalid value "30 sec": expected a duration such as 30s, 5m or 1h30m (units h, m, s, ms)',
      },
    ]);
  });

  it('says what a duration looks like when given a bare number', () => {
    expect(problemsOf(canary('{ interval: 30 }'))).toEqual([
      {
        line: 10,
        col: 25,
        key: 'spec.strategy.canary.interval',
        message: 'expected a duration such as 30s, 5m or 1h30m (units h, m, s, ms), got a number',
      },
    ]);
  });

  it('refuses zero and more than 7 days', () => {
    const text = `${BASE}  strategy:\n    type: bluegreen\n    bluegreen: { interval: 0s, rollbackWindow: 169h }\n`;
    expect(problemsOf(text)).toEqual([
      {
        line: 10,
        col: 28,
        key: 'spec.strategy.bluegreen.interval',
        message: 'expected a duration above zero, got "0s"',
      },
      {
        line: 10,
        col: 48,
        key: 'spec.strategy.bluegreen.rollbackWindow',
        message: 'expected at most 168h, got "169h"',
      },
    ]);
  });
});

describe('parseDeployment checks canary steps', () => {
  it('refuses a step not above the one before it', () => {
    expect(problemsOf(canary('{ steps: [10, 50, 50, 100] }'))).toEqual([
      {
        line: 10,
        col: 31,
        key: 'spec.strategy.canary.steps[2]',
        message: 'step 50 is not above the step before it (50); steps must be strictly increasing',
      },
    ]);
  });

  it('refuses steps that do not end at 100', () => {
    expect(problemsOf(canary('{ steps: [10, 25, 50] }'))).toEqual([
      {
        line: 10,
        col: 31,
        key: 'spec.strategy.canary.steps[2]',
        message: 'the last step must be 100, so the new version ends with all traffic; got 50',
      },
    ]);
  });

  it('leaves a step out of range to the schema alone', () => {
    expect(problemsOf(canary('{ steps: [10, 150] }'))).toEqual([
      {
        line: 10,
        col: 27,
        key: 'spec.strategy.canary.steps[1]',
        message: 'expected a number <= 100, got 150',
      },
    ]);
  });

  it('refuses settings of a type other than the chosen one', () => {
    expect(problemsOf(`${BASE}  strategy:\n    canary: { steps: [50, 100] }\n`)).toEqual([
      {
        line: 9,
        col: 5,
        key: 'spec.strategy.canary',
        message:
          'canary settings apply only to type canary, and type is replace (the default); set type: canary or remove them',
      },
    ]);
  });
});

describe('parseDeployment checks the runtime', () => {
  it('refuses an external runtime without a command', () => {
    expect(problemsOf(BASE + '  runtime:\n    kind: external\n')).toEqual([
      {
        line: 8,
        col: 3,
        key: 'spec.runtime',
        message:
          'required key "command" is missing: an external runtime needs the argv of its model server, with {port} where the port goes',
      },
    ]);
  });

  it('refuses a command for the onnx runtime', () => {
    expect(problemsOf(BASE + '  runtime: { command: [serve] }\n')).toEqual([
      {
        line: 8,
        col: 14,
        key: 'spec.runtime.command',
        message: '"command" applies only to an external runtime; set kind: external or remove it',
      },
    ]);
  });
});

describe('parseDeployment reports other problems where they are written', () => {
  it('another kind of document, in one line', () => {
    const text = 'apiVersion: weft.dev/v1\nkind: Pipeline\nmetadata: { name: x }\nspec: {}\n';
    expect(problemsOf(text)).toEqual([
      {
        line: 2,
        col: 7,
        key: 'kind',
        message: 'expected "ModelDeployment", got "Pipeline"; a Pipeline belongs in weft.yaml',
      },
    ]);
  });

  it('a threshold out of range', () => {
    expect(problemsOf(BASE + '  analysis: { maxErrorRate: 1.5, maxP99LatencyRatio: 0 }\n')).toEqual(
      [
        {
          line: 8,
          col: 29,
          key: 'spec.analysis.maxErrorRate',
          message: 'expected a number <= 1, got 1.5',
        },
        {
          line: 8,
          col: 54,
          key: 'spec.analysis.maxP99LatencyRatio',
          message: 'expected a number > 0, got 0',
        },
      ],
    );
  });

  it('malformed YAML, at the parser position', () => {
    expect(problemsOf(BASE + '    version: 4\n')).toEqual([
      {
        line: 8,
        col: 5,
        key: 'spec.model.version',
        message: 'invalid YAML: key "version" appears twice in the same mapping',
      },
    ]);
  });
});

describe('parseDeployment says a value of the wrong type once', () => {
  it('an enum given a number', () => {
    expect(problemsOf(BASE + '  runtime: { kind: 3 }\n')).toEqual([
      { line: 8, col: 20, key: 'spec.runtime.kind', message: 'expected a string, got a number' },
    ]);
  });
});
