import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeWorkspace } from '../source/git.js';
import { selectStages } from '../plan/dag.js';
import { serializeLockfile, writeLockfile, type Lockfile } from '../plan/lockfile.js';
import type { MetadataStore, RunStatus } from '../registry/types.js';
import type { ObjectStore } from '../store/index.js';
import { executeStage, type RunContext } from './execute-stage.js';
import { JobSlots } from './job-slots.js';
import { startHashingSources } from './observe.js';
import { registerPipelineModel, type RegisteredModel } from './register-model.js';
import type { RunReporter, StageReport } from './report.js';
import { scheduleDag } from './schedule.js';
import { StageRecorder } from './stage-recorder.js';
import { loadWorkspace, type LoadedWorkspace } from './workspace.js';
import { lockWorkspace } from './workspace-lock.js';

export interface RunPipelineOptions {
  root: string;
  weftDir: string;
  store: ObjectStore;
  /**
   * An open store, or how to open one: the run opens it once its workspace is read and the
   * hashing of its inputs is under way, since opening (loading the SQL layer, migrating a new
   * database) would otherwise hold up the first hash.
   */
  metadata: MetadataStore | (() => Promise<MetadataStore>);
  targets: string[];
  jobs: number;
  force: boolean;
  reporter: RunReporter;
  signal: AbortSignal;
}

export interface RunSummary {
  runId: number;
  status: RunStatus;
  stages: StageReport[];
  /** weft.lock is rewritten only when every stage succeeded and something changed. */
  lockWritten: boolean;
  /** The model version the run produced, when the pipeline declares `spec.model`. */
  model?: RegisteredModel;
}

/** `weft run`: brings the selected stages (and what they depend on) up to date. */
export async function runPipeline(options: RunPipelineOptions): Promise<RunSummary> {
  // Each running stage listens for the abort (runStageProcess): -j 11 is not a leak.
  setMaxListeners(0, options.signal);
  const release = await lockWorkspace(options.weftDir);
  try {
    // git runs as a child process: let it work while the spec and lock are read.
    const gitPromise = describeWorkspace(options.root);
    const ws = await loadWorkspace(options.root, options.weftDir);
    const selected = selectStages(ws.graph, options.targets);
    startHashingSources(ws, selected);
    const tmpDir = join(options.weftDir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const opening = typeof options.metadata === 'function' ? options.metadata() : options.metadata;
    const [git, metadata] = await Promise.all([gitPromise, opening]);
    const run = await metadata.createRun({
      pipeline: ws.pipeline.name,
      ...git,
      targets: options.targets,
      startedAt: new Date(),
    });
    // Stages store outputs and run-cache entries without waiting for the disk each time; the run
    // syncs them all before anything durable (a model version, weft.lock) points at them.
    const { store, sync } = options.store.withDeferredSync();
    const ctx: RunContext = {
      ...options,
      store,
      recorder: new StageRecorder(metadata),
      ws,
      runId: run.id,
      tmpDir,
      slots: new JobSlots(options.jobs),
      nextLock: new Map(ws.lock),
    };
    try {
      const stages = await executeStages(ctx, selected);
      // Every stage is in the history and every stored file on disk before the run counts as
      // done (a lost record fails it); the stat cache is written meanwhile, each waits on the disk.
      await Promise.all([ctx.recorder.drain(), sync(), ws.statCache.save()]);
      const ok = stages.every((s) => s.outcome !== 'failed' && s.outcome !== 'skipped');
      const status: RunStatus = ok ? 'succeeded' : 'failed';
      // Registered before the lock is written: a model that cannot be registered (not ONNX,
      // say) fails the run and leaves weft.lock as it was.
      const model = ok
        ? await registerPipelineModel({
            ws,
            lock: ctx.nextLock,
            selected,
            store: options.store,
            metadata,
            runId: run.id,
            commit: git.commit,
          })
        : undefined;
      const lockWritten = ok && (await commitLock(ws, ctx.nextLock, options));
      await metadata.finishRun(run.id, status, new Date());
      return { runId: run.id, status, stages, lockWritten, ...(model ? { model } : {}) };
    } catch (error) {
      // The history must not show a run as running forever because weft itself failed.
      await Promise.allSettled([ctx.recorder.drain(), sync()]);
      await metadata.finishRun(run.id, 'failed', new Date()).catch(() => undefined);
      throw error;
    }
  } finally {
    await release();
  }
}

async function executeStages(ctx: RunContext, selected: string[]): Promise<StageReport[]> {
  const reports = new Map<string, StageReport>();
  await scheduleDag({
    order: selected,
    upstream: ctx.ws.graph.upstream,
    shouldStop: () => ctx.signal.aborted,
    run: async (name) => {
      const stage = ctx.ws.graph.stages.get(name);
      if (!stage) return false;
      const report = await executeStage(ctx, stage);
      reports.set(name, report);
      ctx.reporter.stageFinished(report);
      return report.outcome !== 'failed';
    },
    skip: (name, failedUpstream) => {
      const reason = failedUpstream ? `upstream stage ${failedUpstream} failed` : 'run interrupted';
      const report: StageReport = {
        stage: name,
        outcome: 'skipped',
        reasons: [reason],
        durationMs: 0,
        exitCode: null,
      };
      reports.set(name, report);
      ctx.reporter.stageFinished(report);
    },
  });
  return selected.flatMap((name) => reports.get(name) ?? []);
}

/** Drops entries of stages that left the pipeline, and writes only when the bytes differ. */
async function commitLock(
  ws: LoadedWorkspace,
  next: Lockfile,
  options: RunPipelineOptions,
): Promise<boolean> {
  for (const name of next.keys()) if (!ws.graph.stages.has(name)) next.delete(name);
  if (serializeLockfile(next) === serializeLockfile(ws.lock)) return false;
  await writeLockfile(options.root, next);
  return true;
}
