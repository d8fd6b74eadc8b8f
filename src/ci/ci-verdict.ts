/**
 * The verdict of one `weft ci`: what failed, most fundamental first, and one line for a commit
 * status. Pure; the CLI turns the verdict into an exit code.
 */
export type CiVerdict = 'passed' | 'invalid-deployments' | 'pipeline-failed' | 'gates-failed';

export interface CiFacts {
  /** null: the pipeline was not run (`--no-run`). */
  run: { failedStages: string[] } | null;
  /** null: nothing was validated (no model, evaluation or gates, or the run failed). */
  validation: { model: string; passed: boolean; failed: number; total: number } | null;
  /** Problems of the head revision's deploy/*.yaml (SpecProblems: only the file is told). */
  deployProblems: ReadonlyArray<{ file: string }>;
}

export interface CiJudgement {
  verdict: CiVerdict;
  passed: boolean;
  /** At most 140 characters, GitHub's limit for a commit status description. */
  description: string;
}

export const STATUS_DESCRIPTION_LIMIT = 140;

export function judgeCi(facts: CiFacts): CiJudgement {
  const failures: Array<[CiVerdict, string]> = [];
  const { run, validation, deployProblems } = facts;
  if (deployProblems.length > 0) {
    const files = [...new Set(deployProblems.map((p) => p.file))];
    failures.push(['invalid-deployments', `invalid ${files.join(', ')}`]);
  }
  if (run && run.failedStages.length > 0) {
    const noun = run.failedStages.length === 1 ? 'stage' : 'stages';
    failures.push(['pipeline-failed', `${noun} ${run.failedStages.join(', ')} failed`]);
  }
  if (validation && !validation.passed) {
    failures.push([
      'gates-failed',
      `${validation.model}: ${validation.failed} of ${validation.total} gates failed`,
    ]);
  }
  const [first] = failures;
  if (first) {
    return {
      verdict: first[0],
      passed: false,
      description: truncate(failures.map(([, text]) => text).join('; ')),
    };
  }
  const passed = validation
    ? `${validation.model}: ${validation.total === 1 ? 'the gate' : `all ${validation.total} gates`} passed`
    : run
      ? 'the pipeline ran; nothing to validate'
      : 'nothing to validate';
  return { verdict: 'passed', passed: true, description: truncate(passed) };
}

function truncate(text: string): string {
  return text.length <= STATUS_DESCRIPTION_LIMIT
    ? text
    : `${text.slice(0, STATUS_DESCRIPTION_LIMIT - 1)}…`;
}
