/**
 * The validation half of `weft ci`: the version the run built (or, with `--no-run`, the one
 * weft.lock records), judged against the gates of weft.yaml as `weft validate` judges it; or why
 * there is nothing to validate.
 */
import type { ReportInput } from '../evaluate/types.js';
import type { RunReporter } from '../exec/report.js';
import { reproduceModelVersion } from '../exec/reproduce.js';
import type { RunSummary } from '../exec/run-pipeline.js';
import { validateModelVersion } from '../exec/validate-version.js';
import type { LoadedWorkspace } from '../exec/workspace.js';
import type { MetadataStore, ModelVersion } from '../registry/types.js';
import type { ResolvedEvaluation, ResolvedGate } from '../spec/types.js';
import type { ObjectStore } from '../store/index.js';

export interface ValidationContext {
  root: string;
  store: ObjectStore;
  metadata: MetadataStore;
  jobs: number;
  actor: string;
  reporter: RunReporter;
  signal: AbortSignal;
}

export interface ChangeValidation {
  /** The version that was (or would have been) validated. */
  candidate: ModelVersion | undefined;
  report: ReportInput | null;
  /** Why nothing was validated, when nothing was. */
  skipped: string | null;
}

/** `run` null: `--no-run`, the version weft.lock records is validated. */
export async function validateChange(
  context: ValidationContext,
  ws: LoadedWorkspace,
  run: RunSummary | null,
): Promise<ChangeValidation> {
  const candidate = run
    ? await findBuiltVersion(context.metadata, run)
    : await findLockedVersion(context.metadata, ws);
  const plan = planValidation(ws, run, candidate);
  if ('skipped' in plan) return { candidate, report: null, skipped: plan.skipped };
  return { candidate, report: await validate(context, plan), skipped: null };
}

async function findBuiltVersion(
  metadata: MetadataStore,
  run: RunSummary,
): Promise<ModelVersion | undefined> {
  if (run.status !== 'succeeded' || !run.model) return undefined;
  return metadata.getModelVersion(run.model.name, { version: run.model.version });
}

/** `--no-run`: the version whose artifact the workspace's weft.lock records, if registered here. */
async function findLockedVersion(
  metadata: MetadataStore,
  ws: LoadedWorkspace,
): Promise<ModelVersion | undefined> {
  const model = ws.pipeline.model;
  if (!model) return undefined;
  for (const stage of ws.lock.values()) {
    const out = stage.outs.find((o) => o.path === model.artifact);
    if (out) return metadata.getModelVersion(model.name, { digest: out.digest });
  }
  return undefined;
}

type ValidationPlan =
  | {
      candidate: ModelVersion;
      evaluation: ResolvedEvaluation;
      gates: readonly ResolvedGate[];
      artifact: string;
    }
  | { skipped: string };

/** The version to validate and how, or why there is nothing to validate. */
function planValidation(
  ws: LoadedWorkspace,
  run: RunSummary | null,
  candidate: ModelVersion | undefined,
): ValidationPlan {
  const { model, evaluation, gates } = ws.pipeline;
  if (run && run.status !== 'succeeded') return { skipped: 'not validated: the pipeline failed' };
  if (!model) return { skipped: 'not validated: weft.yaml declares no spec.model' };
  if (!candidate) {
    return {
      skipped: run
        ? `not validated: the run registered no version of ${model.name}`
        : `not validated: the ${model.artifact} that weft.lock records is not registered here; run weft ci without --no-run`,
    };
  }
  if (!evaluation) return { skipped: 'not validated: weft.yaml declares no spec.evaluation' };
  if (!gates?.length) return { skipped: 'not validated: weft.yaml declares no spec.gates' };
  return { candidate, evaluation, gates, artifact: model.artifact };
}

/** As `weft validate` does: baselines evaluated on the same data, the verdicts recorded. */
async function validate(
  context: ValidationContext,
  plan: Exclude<ValidationPlan, { skipped: string }>,
): Promise<ReportInput> {
  return validateModelVersion(
    {
      root: context.root,
      store: context.store,
      metadata: context.metadata,
      evaluation: plan.evaluation,
      gates: plan.gates,
      artifactPath: plan.artifact,
      actor: context.actor,
      reproduce: (version) =>
        reproduceModelVersion({
          root: context.root,
          metadata: context.metadata,
          version,
          jobs: context.jobs,
          reporter: context.reporter,
          signal: context.signal,
        }),
    },
    plan.candidate,
  );
}
