import { describe, expect, it } from 'vitest';
import { judgeCi, STATUS_DESCRIPTION_LIMIT, type CiFacts, type CiJudgement } from './ci-verdict.js';

const validation = (failed: number, total = 4): CiFacts['validation'] => ({
  model: 'penguins@2',
  passed: failed === 0,
  failed,
  total,
});

const cases: Array<{ name: string; facts: CiFacts; expected: CiJudgement }> = [
  {
    name: 'everything passed',
    facts: { run: { failedStages: [] }, validation: validation(0), deployProblems: [] },
    expected: { verdict: 'passed', passed: true, description: 'penguins@2: all 4 gates passed' },
  },
  {
    name: 'one gate passed',
    facts: { run: null, validation: validation(0, 1), deployProblems: [] },
    expected: { verdict: 'passed', passed: true, description: 'penguins@2: the gate passed' },
  },
  {
    name: 'a run with nothing to validate',
    facts: { run: { failedStages: [] }, validation: null, deployProblems: [] },
    expected: {
      verdict: 'passed',
      passed: true,
      description: 'the pipeline ran; nothing to validate',
    },
  },
  {
    name: 'gates failed',
    facts: { run: { failedStages: [] }, validation: validation(2), deployProblems: [] },
    expected: {
      verdict: 'gates-failed',
      passed: false,
      description: 'penguins@2: 2 of 4 gates failed',
    },
  },
  {
    name: 'a stage failed',
    facts: { run: { failedStages: ['train'] }, validation: null, deployProblems: [] },
    expected: { verdict: 'pipeline-failed', passed: false, description: 'stage train failed' },
  },
  {
    name: 'a broken deploy file comes first, and every failure is told',
    facts: {
      run: { failedStages: [] },
      validation: validation(1),
      deployProblems: [{ file: 'deploy/a.yaml' }, { file: 'deploy/a.yaml' }],
    },
    expected: {
      verdict: 'invalid-deployments',
      passed: false,
      description: 'invalid deploy/a.yaml; penguins@2: 1 of 4 gates failed',
    },
  },
];

describe('judgeCi', () => {
  it.each(cases)('$name', ({ facts, expected }) => {
    expect(judgeCi(facts)).toEqual(expected);
  });

  it('keeps the description within a commit status', () => {
    const stages = Array.from({ length: 40 }, (_, i) => `stage-number-${i}`);
    const { description } = judgeCi({
      run: { failedStages: stages },
      validation: null,
      deployProblems: [],
    });
    expect(description).toHaveLength(STATUS_DESCRIPTION_LIMIT);
    expect(description.endsWith('…')).toBe(true);
  });
});
