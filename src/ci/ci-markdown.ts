/**
 * The parts of the `weft ci` comment that the validation report does not have: how the
 * pipeline ran, and a headline of its own when nothing was validated. The comment starts with
 * the report's marker either way, so a bot keeps updating one comment per model.
 */
import type { RunSummary } from '../exec/run-pipeline.js';
import { reportMarker } from '../report/index.js';
import { escapeMarkdown, inlineCode, renderTable } from '../report/markdown-tables.js';
import type { CiJudgement } from './ci-verdict.js';

/** How the pipeline ran; null when it was not run (`--no-run`). */
export function renderRunSection(run: RunSummary | null, notRun: string): string {
  if (!run) return `### Pipeline\n\n${escapeMarkdown(notRun)}`;
  const counts = new Map<string, number>();
  for (const stage of run.stages) counts.set(stage.outcome, (counts.get(stage.outcome) ?? 0) + 1);
  const summary = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'no stages';
  const lines = [`Run ${run.runId} ${run.status}: ${summary}.`];
  if (run.lockWritten) {
    lines.push(
      `${inlineCode('weft.lock')} changed: the committed lock does not record what this run produced; commit the updated lock (or the pipeline is not deterministic).`,
    );
  }
  const failed = run.stages.filter((s) => s.outcome === 'failed' || s.outcome === 'skipped');
  if (failed.length === 0) return `### Pipeline\n\n${lines.join(' ')}`;
  const table = renderTable(
    [{ header: 'Stage' }, { header: 'Outcome' }, { header: 'Why' }],
    failed.map((s) => [s.stage, s.outcome, s.error ?? s.reasons.join('; ')]),
  );
  return `### Pipeline\n\n${lines.join(' ')}\n\n${table}`;
}

/**
 * The comment when nothing was validated (the run failed, or weft.yaml has no model, evaluation
 * or gates): the marker, a verdict headline, then `sections`.
 */
export function renderCiMarkdown(options: {
  markerName: string;
  judgement: CiJudgement;
  head: string | null;
  notValidated: string;
  sections: readonly string[];
}): string {
  const { judgement } = options;
  const icon = judgement.passed ? '✅' : '❌';
  const facts = [escapeMarkdown(judgement.description), escapeMarkdown(options.notValidated)];
  if (options.head) facts.push(`commit ${inlineCode(options.head.slice(0, 12))}`);
  const headline = `## ${icon} weft ci: ${judgement.passed ? 'passed' : 'failed'}\n\n${facts.join(' · ')}`;
  return `${[reportMarker(options.markerName), headline, ...options.sections].join('\n\n')}\n`;
}
