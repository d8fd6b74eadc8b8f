/**
 * `weft ci`: one command for any CI system. Runs the pipeline of the checked-out commit (the
 * configured store and registry act as its cache), validates the model it built against its
 * gates, previews what merging would do to each ModelDeployment, and writes the reports: the
 * Markdown comment (validation + pipeline + preview, one marker), report.json, junit.xml and
 * ci.json. Posting the comment is the caller's business.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpecProblem } from '../core/errors.js';
import type { ReportInput } from '../evaluate/types.js';
import { runPipeline, type RunSummary } from '../exec/run-pipeline.js';
import { loadWorkspace } from '../exec/workspace.js';
import { REPORT_FILE_NAMES, renderReportFiles, writeReportFiles } from '../exec/write-reports.js';
import { PLOT_NAMES, reportMarker } from '../report/index.js';
import { describeWorkspace, type WorkspaceCommit } from '../source/git.js';
import { readDeployments } from '../spec/deployment-files.js';
import { findBaseRevision, type BaseRevision } from './base-revision.js';
import { renderCiMarkdown, renderRunSection } from './ci-markdown.js';
import { judgeCi, type CiFacts, type CiJudgement } from './ci-verdict.js';
import { readDeploymentsAtRevision } from './deployments-at-revision.js';
import { lookupDeploymentTargets } from './deployment-targets.js';
import {
  previewDeployments,
  type BuiltModel,
  type DeploymentPreview,
} from './deployment-preview.js';
import { renderPreviewSection } from './preview-markdown.js';
import { validateChange, type ValidationContext } from './validate-change.js';

export interface CiOptions extends ValidationContext {
  weftDir: string;
  /** `--base`: the revision to compare deploy/ with; default: see findBaseRevision. */
  base?: string;
  /** The branch a pull request goes into, from the CI environment, for the default base. */
  targetBranch?: string;
  /** false (`--no-run`): validate the version weft.lock records instead of running. */
  run: boolean;
  /** Where the reports go; files of an earlier report there are removed first. */
  outDir: string;
}

export interface CiResult extends CiJudgement {
  head: WorkspaceCommit;
  base: BaseRevision | null;
  run: RunSummary | null;
  model: BuiltModel | null;
  /** The validation behind report.json and junit.xml; null when nothing was validated. */
  report: ReportInput | null;
  /** The deployment preview, and the problems of deploy/*.yaml at head and at the base. */
  deployments: DeploymentPreview & {
    problems: SpecProblem[];
    baseProblems: SpecProblem[];
  };
  /** The hidden first line of `markdown`, to find the comment again and update it. */
  marker: string;
  /** The comment to post: report.md. */
  markdown: string;
  files: string[];
}

export const CI_SUMMARY_FILE = 'ci.json';
export const CI_SUMMARY_SCHEMA_VERSION = 1;

export async function runCi(options: CiOptions): Promise<CiResult> {
  const [head, ws] = await Promise.all([
    describeWorkspace(options.root),
    loadWorkspace(options.root, options.weftDir),
  ]);
  const run = options.run ? await runWorkspacePipeline(options) : null;
  const { candidate, report, skipped } = await validateChange(options, ws, run);
  const model: BuiltModel | null = candidate
    ? {
        name: candidate.name,
        version: candidate.version,
        digest: candidate.digest,
        gatesPassed: report ? report.validation.passed : null,
      }
    : null;
  const change = await previewChange(options, head, model);
  const judgement = judgeCi(collectFacts(run, report, change.problems));
  const markerName = ws.pipeline.model?.name ?? ws.pipeline.name;
  const files = renderCiFiles({
    report,
    judgement,
    markerName,
    head: head.commit,
    notValidated: skipped ?? '',
    sections: [renderRunSection(run, NOT_RUN), renderPreviewSection({ ...change, head })],
  });
  const result: CiResult = {
    ...judgement,
    head,
    base: change.base,
    run,
    model,
    report,
    deployments: {
      entries: change.preview.entries,
      problems: change.problems,
      baseProblems: change.baseProblems,
    },
    marker: reportMarker(markerName),
    markdown: files.get(REPORT_FILE_NAMES.md) ?? '',
    files: [...files.keys(), CI_SUMMARY_FILE].map((name) => join(options.outDir, name)),
  };
  files.set(CI_SUMMARY_FILE, `${JSON.stringify(summarizeCi(result), null, 2)}\n`);
  await removeEarlierReports(options.outDir);
  await writeReportFiles(options.outDir, files);
  return result;
}

/**
 * The comment and the report files: the validation report with the pipeline and the preview
 * appended (one marker), or, with nothing validated, a comment of weft ci's own.
 */
function renderCiFiles(options: {
  report: ReportInput | null;
  judgement: CiJudgement;
  markerName: string;
  head: string | null;
  notValidated: string;
  sections: string[];
}): Map<string, string> {
  const { report, sections } = options;
  if (!report) return new Map([[REPORT_FILE_NAMES.md, renderCiMarkdown(options)]]);
  const { model } = report.validation;
  return renderReportFiles(report, undefined, {
    title: `weft ci ${model.name}@${model.version}`,
    appendSections: sections,
  });
}

const NOT_RUN = 'The pipeline was not run (--no-run): the version weft.lock records was validated.';

function collectFacts(
  run: RunSummary | null,
  report: ReportInput | null,
  deployProblems: readonly SpecProblem[],
): CiFacts {
  const failedStages = run?.stages.filter((s) => s.outcome === 'failed').map((s) => s.stage);
  const validation = report?.validation;
  return {
    run: failedStages ? { failedStages } : null,
    validation: validation
      ? {
          model: `${validation.model.name}@${validation.model.version}`,
          passed: validation.passed,
          failed: validation.gates.filter((g) => !g.passed).length,
          total: validation.gates.length,
        }
      : null,
    deployProblems,
  };
}

/** What ci.json and `weft ci --json` hold: the verdict and its evidence, without the comment. */
export function summarizeCi(result: CiResult): Record<string, unknown> {
  return {
    schemaVersion: CI_SUMMARY_SCHEMA_VERSION,
    verdict: result.verdict,
    passed: result.passed,
    description: result.description,
    head: { commit: result.head.commit, branch: result.head.branch, dirty: result.head.dirty },
    base: result.base,
    run: result.run && {
      runId: result.run.runId,
      status: result.run.status,
      lockWritten: result.run.lockWritten,
      stages: result.run.stages,
    },
    model: result.model,
    gates: result.report?.validation.gates ?? null,
    deployments: result.deployments,
    marker: result.marker,
    files: result.files,
  };
}

async function runWorkspacePipeline(options: CiOptions): Promise<RunSummary> {
  return runPipeline({
    root: options.root,
    weftDir: options.weftDir,
    store: options.store,
    metadata: options.metadata,
    targets: [],
    jobs: options.jobs,
    force: false,
    reporter: options.reporter,
    signal: options.signal,
  });
}

/** The base revision's deploy/ against the work tree's, each selector looked up here. */
async function previewChange(
  options: CiOptions,
  head: WorkspaceCommit,
  built: BuiltModel | null,
): Promise<{
  base: BaseRevision | null;
  preview: DeploymentPreview;
  problems: SpecProblem[];
  baseProblems: SpecProblem[];
}> {
  const base = head.commit
    ? await findBaseRevision(options.root, {
        ...(options.base === undefined ? {} : { requested: options.base }),
        ...(options.targetBranch === undefined ? {} : { targetBranch: options.targetBranch }),
      })
    : null;
  const [before, after] = await Promise.all([
    base ? readDeploymentsAtRevision(options.root, base.commit) : null,
    readDeployments(options.root),
  ]);
  const preview = previewDeployments({
    base: before?.deployments ?? null,
    head: after.deployments,
    baseTargets: await lookupDeploymentTargets(options.metadata, before?.deployments ?? []),
    headTargets: await lookupDeploymentTargets(options.metadata, after.deployments),
    built,
  });
  return { base, preview, problems: after.problems, baseProblems: before?.problems ?? [] };
}

async function removeEarlierReports(dir: string): Promise<void> {
  const names = [
    ...Object.values(REPORT_FILE_NAMES),
    ...PLOT_NAMES.map((name) => `${name}.svg`),
    CI_SUMMARY_FILE,
  ];
  await Promise.all(names.map((name) => rm(join(dir, name), { force: true })));
}
