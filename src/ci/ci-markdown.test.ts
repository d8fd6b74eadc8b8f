import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../exec/run-pipeline.js';
import { renderCiMarkdown, renderRunSection } from './ci-markdown.js';

const failedRun: RunSummary = {
  runId: 3,
  status: 'failed',
  lockWritten: false,
  stages: [
    { stage: 'prepare', outcome: 'up-to-date', reasons: [], durationMs: 0, exitCode: null },
    {
      stage: 'train',
      outcome: 'failed',
      reasons: ['cmd changed'],
      durationMs: 10,
      exitCode: 3,
      error: 'stage train failed with exit code 3',
    },
    {
      stage: 'evaluate',
      outcome: 'skipped',
      reasons: ['upstream stage train failed'],
      durationMs: 0,
      exitCode: null,
    },
  ],
};

describe('renderRunSection', () => {
  it('tells the outcome counts, and the stages that failed or were skipped with why', () => {
    expect(renderRunSection(failedRun, '')).toBe(
      [
        '### Pipeline',
        '',
        'Run 3 failed: 1 up-to-date, 1 failed, 1 skipped.',
        '',
        '| Stage | Outcome | Why |',
        '|---|---|---|',
        '| train | failed | stage train failed with exit code 3 |',
        '| evaluate | skipped | upstream stage train failed |',
      ].join('\n'),
    );
  });

  it('warns when the run rewrote weft.lock, and says when the pipeline was not run', () => {
    const rewritten = renderRunSection(
      { ...failedRun, status: 'succeeded', lockWritten: true, stages: [] },
      '',
    );
    expect(rewritten).toContain('`weft.lock` changed: the committed lock does not record');
    expect(renderRunSection(null, 'not run (--no-run)')).toBe('### Pipeline\n\nnot run (--no-run)');
  });
});

describe('renderCiMarkdown', () => {
  it('starts with the report marker of the model, then a verdict headline and the sections', () => {
    const markdown = renderCiMarkdown({
      markerName: 'pen guins',
      judgement: { verdict: 'pipeline-failed', passed: false, description: 'stage train failed' },
      head: 'c'.repeat(40),
      notValidated: 'not validated: the pipeline failed',
      sections: ['### Pipeline', '### Deployment preview'],
    });
    expect(markdown).toBe(
      [
        '<!-- weft-report:pen%20guins -->',
        '## ❌ weft ci: failed\n\nstage train failed · not validated: the pipeline failed · commit `cccccccccccc`',
        '### Pipeline',
        '### Deployment preview\n',
      ].join('\n\n'),
    );
  });
});
