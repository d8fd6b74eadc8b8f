import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Digest } from '../core/digest.js';
import { describeError, isWeftError, WeftError } from '../core/errors.js';
import { stageOutputs } from '../plan/dag.js';
import type { LockedPath, Lockfile } from '../plan/lockfile.js';
import { decideStage, explainStaleness } from '../plan/staleness.js';
import type { StageOutcome } from '../registry/types.js';
import type { ResolvedStage } from '../spec/types.js';
import type { ObjectStore } from '../store/index.js';
import type { RunCacheEntry } from '../store/types.js';
import type { JobSlots } from './job-slots.js';
import { readMetricsFiles } from './metrics.js';
import { observeStage, type ObservedWorkspaceStage, type Workspace } from './observe.js';
import type { RunReporter, StageReport } from './report.js';
import { StageLog } from './stage-log.js';
import { runStageProcess } from './stage-process.js';
import type { StageRecorder } from './stage-recorder.js';

export interface RunContext {
  ws: Workspace;
  store: ObjectStore;
  /** Takes the run's stage executions to the metadata store, behind the stages. */
  recorder: StageRecorder;
  runId: number;
  /** Limits stage commands running at once (-j); checking and restoring need no slot. */
  slots: JobSlots;
  force: boolean;
  reporter: RunReporter;
  signal: AbortSignal;
  /** Scratch space on the store's filesystem side of the workspace (`.weft/tmp`). */
  tmpDir: string;
  /** The lock being built for this run; written only if the whole run succeeds. */
  nextLock: Lockfile;
}

interface StageOutputs {
  outcome: StageOutcome;
  outs: LockedPath[];
  logDigest: Digest | null;
  exitCode: number | null;
}

/**
 * Brings one stage up to date: skip it when weft.lock and the workspace agree, restore its
 * outputs when the run cache knows its key, run it otherwise. Records the execution either way
 * (queued: the recorder writes it behind the stages).
 */
export async function executeStage(ctx: RunContext, stage: ResolvedStage): Promise<StageReport> {
  const started = new Date();
  const observed = await observeStage(ctx.ws, stage);
  const reasons = explainStaleness(observed);
  // The run cache is only worth a read for a stale stage that may be restored.
  const skipCache = ctx.force || stage.alwaysRun || reasons.length === 0;
  const cached = skipCache ? undefined : await ctx.store.readRunCache(observed.key);
  const decision = decideStage(reasons, {
    force: ctx.force,
    alwaysRun: stage.alwaysRun,
    cached: cached !== undefined,
  });
  // A stage that runs is announced once it has a job slot, not while it waits for one.
  if (decision.action !== 'run') {
    ctx.reporter.stageStarted(stage.name, decision.action, decision.reasons);
  }
  let result: StageOutputs;
  let error: string | undefined;
  try {
    if (decision.action === 'skip') result = keepOutputs(observed);
    else if (decision.action === 'restore' && cached) {
      result = await restoreOrRun(ctx, stage, observed, cached);
    } else result = await runStage(ctx, stage, observed, decision.reasons);
  } catch (failure) {
    if (!isWeftError(failure, 'STAGE_FAILED') && !isWeftError(failure, 'STORE_IO')) throw failure;
    error = failure.message;
    result = { outcome: 'failed', outs: [], logDigest: logOf(failure), exitCode: exitOf(failure) };
  }
  const report: StageReport = {
    stage: stage.name,
    outcome: result.outcome,
    reasons: decision.reasons,
    durationMs: Date.now() - started.getTime(),
    exitCode: result.exitCode,
    ...(error === undefined ? {} : { error }),
  };
  if (result.outcome !== 'failed') {
    ctx.nextLock.set(stage.name, {
      key: observed.key,
      cmd: stage.cmd,
      deps: observed.deps.map(({ path, digest, size }) => ({ path, digest, size })),
      params: observed.input.params,
      env: stage.env,
      outs: result.outs,
    });
  }
  // An up-to-date stage did nothing new: its lineage was recorded when it ran.
  if (result.outcome !== 'up-to-date') {
    await recordExecution(ctx, observed, report, result, started);
  }
  return report;
}

function keepOutputs(observed: ObservedWorkspaceStage): StageOutputs {
  const outs = [...observed.outs].flatMap(([path, entry]) => (entry ? [{ path, ...entry }] : []));
  return { outcome: 'up-to-date', outs, logDigest: null, exitCode: null };
}

/** A cache entry whose objects are gone or corrupt is a miss: warn and run the stage. */
async function restoreOrRun(
  ctx: RunContext,
  stage: ResolvedStage,
  observed: ObservedWorkspaceStage,
  cached: RunCacheEntry,
): Promise<StageOutputs> {
  try {
    await Promise.all(
      cached.outs.map((out) => ctx.store.restore(out, join(ctx.ws.root, out.path))),
    );
    return { outcome: 'restored', outs: cached.outs, logDigest: cached.logDigest, exitCode: null };
  } catch (error) {
    if (!isWeftError(error, 'OBJECT_MISSING') && !isWeftError(error, 'STORE_CORRUPT')) throw error;
    ctx.reporter.warn(
      `stage ${stage.name}: cached outputs unusable (${error.message}); running it`,
    );
    await ctx.store.removeRunCache(observed.key);
    return runStage(ctx, stage, observed, ['cached outputs unusable']);
  }
}

class StageFailure extends WeftError {
  constructor(
    message: string,
    readonly logDigest: Digest | null,
    readonly exitCode: number | null,
  ) {
    super('STAGE_FAILED', message);
  }
}

const logOf = (e: unknown): Digest | null => (e instanceof StageFailure ? e.logDigest : null);
const exitOf = (e: unknown): number | null => (e instanceof StageFailure ? e.exitCode : null);

async function runStage(
  ctx: RunContext,
  stage: ResolvedStage,
  observed: ObservedWorkspaceStage,
  reasons: string[],
): Promise<StageOutputs> {
  const root = ctx.ws.root;
  const outputs = stageOutputs(stage);
  // Stale outputs must not survive into a run that might not rewrite them.
  await removeOutputs(root, outputs);
  await Promise.all(outputs.map((out) => mkdir(dirname(join(root, out)), { recursive: true })));
  const log = new StageLog(join(ctx.tmpDir, `${stage.name}-${randomUUID()}.log`));
  // Only the command holds a job slot: storing its outputs afterwards needs none.
  const releaseSlot = await ctx.slots.acquire();
  if (ctx.signal.aborted) {
    releaseSlot();
    throw new StageFailure(`stage ${stage.name} was interrupted before it started`, null, null);
  }
  ctx.reporter.stageStarted(stage.name, 'run', reasons);
  const result = await runStageProcess({
    root,
    stage,
    log,
    extraEnv: { WEFT_STAGE: stage.name, WEFT_RUN_ID: String(ctx.runId) },
    onLine: (line, stream) => ctx.reporter.stageOutput(stage.name, line, stream),
    signal: ctx.signal,
  }).finally(releaseSlot);
  const logDigest = await storeLog(ctx, log);
  const failure = describeFailure(result, ctx.signal.aborted);
  if (failure) {
    // Like make's .DELETE_ON_ERROR: half-written outputs would look like results.
    await removeOutputs(root, outputs);
    throw new StageFailure(`stage ${stage.name} ${failure}`, logDigest, result.exitCode);
  }
  const outs = await storeOutputs(ctx, stage, outputs);
  await ctx.store.writeRunCache({
    key: observed.key,
    stage: stage.name,
    outs,
    logDigest,
    createdAt: new Date().toISOString(),
  });
  return { outcome: 'ran', outs, logDigest, exitCode: result.exitCode };
}

function describeFailure(
  result: Awaited<ReturnType<typeof runStageProcess>>,
  aborted: boolean,
): string | undefined {
  if (aborted) return 'was interrupted';
  if (result.spawnError) return `could not start: ${result.spawnError}`;
  if (result.lostError) return `was lost: ${result.lostError}`;
  if (result.signal) return `was killed by ${result.signal}`;
  if (result.exitCode !== 0) return `failed with exit code ${result.exitCode}`;
  return undefined;
}

async function storeOutputs(
  ctx: RunContext,
  stage: ResolvedStage,
  outputs: string[],
): Promise<LockedPath[]> {
  return Promise.all(
    outputs.map(async (path) => {
      try {
        return { path, ...(await ctx.store.putPath(join(ctx.ws.root, path))) };
      } catch (error) {
        if (!isWeftError(error, 'NOT_FOUND')) throw error;
        await removeOutputs(ctx.ws.root, outputs);
        throw new StageFailure(
          `stage ${stage.name} exited 0 but did not write its out ${path}`,
          null,
          0,
        );
      }
    }),
  );
}

async function storeLog(ctx: RunContext, log: StageLog): Promise<Digest | null> {
  try {
    return (await log.store(ctx.store)).digest;
  } catch (error) {
    ctx.reporter.warn(`failed to keep the log in the store: ${describeError(error)}`);
    return null;
  }
}

async function removeOutputs(root: string, outputs: string[]): Promise<void> {
  await Promise.all(outputs.map((out) => rm(join(root, out), { recursive: true, force: true })));
}

async function recordExecution(
  ctx: RunContext,
  observed: ObservedWorkspaceStage,
  report: StageReport,
  result: StageOutputs,
  started: Date,
): Promise<void> {
  const metrics =
    result.outcome === 'failed'
      ? []
      : await readMetricsFiles(ctx.ws.root, observed.stage.metrics).catch((error: unknown) => {
          ctx.reporter.warn(`stage ${observed.stage.name}: ${describeError(error)}`);
          return [];
        });
  ctx.recorder.record({
    runId: ctx.runId,
    stage: observed.stage.name,
    cacheKey: observed.key,
    outcome: result.outcome,
    reasons: report.error ? [...report.reasons, report.error] : report.reasons,
    startedAt: started,
    durationMs: report.durationMs,
    exitCode: result.exitCode,
    logDigest: result.logDigest,
    deps: observed.deps,
    params: observed.input.params,
    outs: result.outs,
    metrics,
  });
}
