import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunReporter } from '../exec/report.js';
import { runPipeline } from '../exec/run-pipeline.js';
import { validateModelVersion } from '../exec/validate-version.js';
import { loadWorkspace } from '../exec/workspace.js';
import { reproduceModelVersion } from '../exec/reproduce.js';
import type { MetadataStore } from '../registry/types.js';
import { runGit } from '../source/git.js';
import type { ObjectStore } from '../store/index.js';
import { REASONS } from './conditions.js';
import { stall } from './reconcile-errors.js';

export interface BuildContext {
  /** The source's bare repository (GitSource.repoDir), to check commits out from. */
  repoDir: string;
  /** A working copy kept between builds, so the pipeline's cache and outputs carry over. */
  buildDir: string;
  store: ObjectStore;
  metadata: MetadataStore;
  jobs: number;
  reporter: RunReporter;
  signal: AbortSignal;
}

export interface BuildOutcome {
  /** The version the run registered (or found already registered), if the pipeline has a model. */
  model: { name: string; version: number } | null;
  /** Gate verdicts of that version, when weft.yaml declares gates. */
  gatesPassed: boolean | null;
  /** The verdict of each gate that failed, as `weft validate` prints it. */
  failedGates: string[];
}

/**
 * Runs the revision's pipeline (weft.yaml) like `weft run` would in a clean checkout of that
 * commit: the cache applies (unless `force`: a retrain, whose stages fetch fresh data), the model
 * version is registered with the commit, then validated against its gates. A revision without
 * weft.yaml builds nothing.
 */
export async function buildRevision(
  context: BuildContext,
  commit: string,
  options: { force?: boolean } = {},
): Promise<BuildOutcome> {
  await checkoutBuildDir(context, commit);
  if (!existsSync(join(context.buildDir, 'weft.yaml')))
    return { model: null, gatesPassed: null, failedGates: [] };
  const weftDir = join(context.buildDir, '.weft');
  const summary = await runPipeline({
    root: context.buildDir,
    weftDir,
    store: context.store,
    metadata: context.metadata,
    targets: [],
    jobs: context.jobs,
    force: options.force ?? false,
    reporter: context.reporter,
    signal: context.signal,
  });
  if (summary.status !== 'succeeded') {
    const failed = summary.stages
      .filter((s) => s.outcome === 'failed')
      .map((s) => `${s.stage}: ${s.error ?? ''}`);
    throw stall(
      REASONS.buildFailed,
      `the pipeline failed at ${commit.slice(0, 10)} (${failed.join('; ')})`,
    );
  }
  if (!summary.model) return { model: null, gatesPassed: null, failedGates: [] };
  const model = { name: summary.model.name, version: summary.model.version };
  const { pipeline } = await loadWorkspace(context.buildDir, weftDir);
  if (!pipeline.evaluation || !pipeline.gates?.length)
    return { model, gatesPassed: null, failedGates: [] };
  const version = await context.metadata.getModelVersion(model.name, { version: model.version });
  if (!version) return { model, gatesPassed: null, failedGates: [] };
  const report = await validateModelVersion(
    {
      root: context.buildDir,
      store: context.store,
      metadata: context.metadata,
      evaluation: pipeline.evaluation,
      gates: pipeline.gates,
      actor: 'controller',
      ...(pipeline.model ? { artifactPath: pipeline.model.artifact } : {}),
      reproduce: (v) =>
        reproduceModelVersion({
          root: context.buildDir,
          metadata: context.metadata,
          version: v,
          jobs: context.jobs,
          reporter: context.reporter,
          signal: context.signal,
        }),
    },
    version,
  );
  const failedGates = report.validation.gates
    .filter((g) => !g.passed)
    .map((g) => `${g.gate}: ${g.message}`);
  return { model, gatesPassed: report.validation.passed, failedGates };
}

/** A clone of the source's bare repo, forced to `commit`; ignored files (outputs, .weft) stay. */
async function checkoutBuildDir(context: BuildContext, commit: string): Promise<void> {
  if (!existsSync(join(context.buildDir, '.git'))) {
    await mkdir(dirname(context.buildDir), { recursive: true });
    await runGit(dirname(context.buildDir), [
      'clone',
      '--quiet',
      '--no-checkout',
      context.repoDir,
      context.buildDir,
    ]);
  }
  await runGit(context.buildDir, ['fetch', '--quiet', context.repoDir, commit]);
  await runGit(context.buildDir, ['checkout', '--quiet', '--force', '--detach', commit]);
  await runGit(context.buildDir, ['clean', '--quiet', '-fd']);
}
