import type { Selectable } from 'kysely';
import type { Digest } from '../core/digest.js';
import type { ArtifactsTable, MetricsTable, RunsTable, StageExecutionsTable } from './schema.js';
import type {
  ArtifactRef,
  MetricValue,
  NewRun,
  NewStageExecution,
  RunRecord,
  RunStatus,
  StageExecutionRecord,
  StageOutcome,
} from './types.js';

/** Conversions between records and rows; the only place that knows how columns encode values. */

export function toRunRow(run: NewRun): Omit<Selectable<RunsTable>, 'id'> {
  return {
    pipeline: run.pipeline,
    commit_sha: run.commit,
    dirty: run.dirty ? 1 : 0,
    branch: run.branch,
    author: run.author,
    targets: JSON.stringify(run.targets),
    status: 'running',
    started_at: run.startedAt.toISOString(),
    finished_at: null,
  };
}

export function toRunRecord(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    pipeline: row.pipeline,
    commit: row.commit_sha,
    dirty: Number(row.dirty) !== 0,
    branch: row.branch,
    author: row.author,
    targets: JSON.parse(row.targets) as string[],
    startedAt: new Date(row.started_at),
    status: row.status as RunStatus,
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

export function toStageExecutionRow(
  execution: NewStageExecution,
): Omit<Selectable<StageExecutionsTable>, 'id'> {
  return {
    run_id: execution.runId,
    stage: execution.stage,
    cache_key: execution.cacheKey,
    outcome: execution.outcome,
    reasons: JSON.stringify(execution.reasons),
    started_at: execution.startedAt.toISOString(),
    duration_ms: execution.durationMs,
    exit_code: execution.exitCode,
    log_digest: execution.logDigest,
    params: JSON.stringify(execution.params),
  };
}

export function toArtifactRow(
  executionId: number,
  role: 'dep' | 'out',
  artifact: ArtifactRef,
): Omit<Selectable<ArtifactsTable>, 'id'> {
  return {
    stage_execution_id: executionId,
    role,
    path: artifact.path,
    digest: artifact.digest,
    size: artifact.size,
    kind: artifact.kind,
  };
}

export function toStageExecutionRecord(
  row: Selectable<StageExecutionsTable>,
  artifacts: readonly Selectable<ArtifactsTable>[],
  metrics: readonly Selectable<MetricsTable>[],
): StageExecutionRecord {
  return {
    id: row.id,
    runId: row.run_id,
    stage: row.stage,
    cacheKey: row.cache_key as Digest,
    outcome: row.outcome as StageOutcome,
    reasons: JSON.parse(row.reasons) as string[],
    startedAt: new Date(row.started_at),
    // bigint columns: PostgreSQL drivers may hand them back as strings.
    durationMs: Number(row.duration_ms),
    exitCode: row.exit_code,
    logDigest: row.log_digest as Digest | null,
    params: JSON.parse(row.params) as Record<string, unknown>,
    deps: artifacts.filter((a) => a.role === 'dep').map(toArtifactRef),
    outs: artifacts.filter((a) => a.role === 'out').map(toArtifactRef),
    metrics: metrics.map(toMetricValue),
  };
}

function toArtifactRef(row: Selectable<ArtifactsTable>): ArtifactRef {
  return {
    path: row.path,
    digest: row.digest as Digest,
    size: Number(row.size),
    kind: row.kind as ArtifactRef['kind'],
  };
}

export function toMetricValue(row: Pick<MetricsTable, 'file' | 'key' | 'value'>): MetricValue {
  return { file: row.file, key: row.key, value: Number(row.value) };
}
