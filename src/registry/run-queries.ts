import type { Kysely } from 'kysely';
import type { Digest } from '../core/digest.js';
import { toMetricValue, toRunRecord, toStageExecutionRecord } from './rows.js';
import type { MetadataDatabase } from './schema.js';
import type { MetricValue, RunDetail, RunFilter, RunRecord } from './types.js';

type Db = Kysely<MetadataDatabase>;

export const DEFAULT_RUN_LIMIT = 50;
export const MAX_RUN_LIMIT = 1000;

/** Page size within [1, MAX_RUN_LIMIT]; absent means DEFAULT_RUN_LIMIT. */
export function clampRunLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_RUN_LIMIT;
  return Math.min(MAX_RUN_LIMIT, Math.max(1, Math.floor(limit)));
}

/**
 * A commit filter as a LIKE prefix: lowercase hex, which needs no LIKE escaping (and SQLite has
 * no default escape). undefined for anything else, which can match no sha.
 */
export function toCommitPrefix(commit: string): string | undefined {
  const prefix = commit.toLowerCase();
  return /^[0-9a-f]+$/.test(prefix) ? prefix : undefined;
}

/** Newest first. A commit filter matches sha prefixes; only hex can match a sha. */
export async function queryRuns(db: Db, filter: RunFilter = {}): Promise<RunRecord[]> {
  let query = db.selectFrom('runs').selectAll().orderBy('id', 'desc');
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.pipeline !== undefined) query = query.where('pipeline', '=', filter.pipeline);
  if (filter.branch !== undefined) query = query.where('branch', '=', filter.branch);
  // ISO-8601 UTC text sorts as time does, so the range compares the column as stored.
  if (filter.since !== undefined)
    query = query.where('started_at', '>=', filter.since.toISOString());
  if (filter.until !== undefined)
    query = query.where('started_at', '<', filter.until.toISOString());
  if (filter.commit !== undefined) {
    const prefix = toCommitPrefix(filter.commit);
    if (prefix === undefined) return [];
    query = query.where('commit_sha', 'like', `${prefix}%`);
  }
  const rows = await query.limit(clampRunLimit(filter.limit)).execute();
  return rows.map(toRunRecord);
}

export async function queryRunDetail(db: Db, id: number): Promise<RunDetail | undefined> {
  const run = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (run === undefined) return undefined;
  const executions = await db
    .selectFrom('stage_executions')
    .selectAll()
    .where('run_id', '=', id)
    .orderBy('id')
    .execute();
  const artifacts = await db
    .selectFrom('artifacts')
    .innerJoin('stage_executions', 'stage_executions.id', 'artifacts.stage_execution_id')
    .selectAll('artifacts')
    .where('stage_executions.run_id', '=', id)
    .orderBy('artifacts.id')
    .execute();
  const metrics = await db
    .selectFrom('metrics')
    .selectAll()
    .where('run_id', '=', id)
    .orderBy('id')
    .execute();
  const stages = executions.map((row) =>
    toStageExecutionRecord(
      row,
      artifacts.filter((a) => a.stage_execution_id === row.id),
      metrics.filter((m) => m.stage_execution_id === row.id),
    ),
  );
  return { ...toRunRecord(run), stages };
}

/** A stage executed twice in one run (a retry) counts with its newest execution only. */
export async function queryRunMetrics(db: Db, runId: number): Promise<MetricValue[]> {
  const rows = await db
    .selectFrom('metrics')
    .select(['file', 'key', 'value'])
    .where('run_id', '=', runId)
    .where('stage_execution_id', 'in', (eb) =>
      eb
        .selectFrom('stage_executions')
        .select((s) => s.fn.max('id').as('id'))
        .where('run_id', '=', runId)
        .groupBy('stage'),
    )
    .orderBy('id')
    .execute();
  return rows.map(toMetricValue);
}

/** Artifact and log digests of every run, or of the newest `keepRuns` runs. */
export async function queryReferencedDigests(
  db: Db,
  options: { keepRuns?: number } = {},
): Promise<Set<Digest>> {
  const keepRuns = options.keepRuns;
  if (keepRuns !== undefined && keepRuns < 1) return new Set();
  const keptRuns = db
    .selectFrom('runs')
    .select('id')
    .orderBy('id', 'desc')
    .$if(keepRuns !== undefined, (q) => q.limit(Math.floor(keepRuns ?? 0)));
  const artifacts = await db
    .selectFrom('artifacts')
    .innerJoin('stage_executions', 'stage_executions.id', 'artifacts.stage_execution_id')
    .select('artifacts.digest as digest')
    .distinct()
    .$if(keepRuns !== undefined, (q) => q.where('stage_executions.run_id', 'in', keptRuns))
    .execute();
  const logs = await db
    .selectFrom('stage_executions')
    .select('log_digest as digest')
    .distinct()
    .where('log_digest', 'is not', null)
    .$if(keepRuns !== undefined, (q) => q.where('run_id', 'in', keptRuns))
    .execute();
  return new Set([...artifacts, ...logs].map((row) => row.digest as Digest));
}
