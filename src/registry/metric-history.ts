import type { Kysely } from 'kysely';
import { clampRunLimit } from './run-queries.js';
import type { MetadataDatabase } from './schema.js';
import type { MetricHistoryFilter, MetricPoint } from './types.js';

/**
 * Every recorded value of one metric across runs, newest first, with the run and stage it came
 * from. The cursor is the metric row's id (index `metrics_key_id`), so a page is one range scan.
 */
export async function queryMetricHistory(
  db: Kysely<MetadataDatabase>,
  key: string,
  filter: MetricHistoryFilter = {},
): Promise<MetricPoint[]> {
  let query = db
    .selectFrom('metrics')
    .innerJoin('runs', 'runs.id', 'metrics.run_id')
    .innerJoin('stage_executions', 'stage_executions.id', 'metrics.stage_execution_id')
    .select([
      'metrics.id as id',
      'metrics.run_id as run_id',
      'metrics.file as file',
      'metrics.key as key',
      'metrics.value as value',
      'stage_executions.stage as stage',
      'runs.pipeline as pipeline',
      'runs.commit_sha as commit_sha',
      'runs.branch as branch',
      'runs.started_at as started_at',
    ])
    .where('metrics.key', '=', key);
  if (filter.before !== undefined) query = query.where('metrics.id', '<', filter.before);
  if (filter.file !== undefined) query = query.where('metrics.file', '=', filter.file);
  if (filter.stage !== undefined) query = query.where('stage_executions.stage', '=', filter.stage);
  if (filter.pipeline !== undefined) query = query.where('runs.pipeline', '=', filter.pipeline);
  if (filter.branch !== undefined) query = query.where('runs.branch', '=', filter.branch);
  if (filter.since !== undefined) {
    query = query.where('runs.started_at', '>=', filter.since.toISOString());
  }
  if (filter.until !== undefined) {
    query = query.where('runs.started_at', '<', filter.until.toISOString());
  }
  const rows = await query
    .orderBy('metrics.id', 'desc')
    .limit(clampRunLimit(filter.limit))
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    runId: Number(row.run_id),
    stage: row.stage,
    file: row.file,
    key: row.key,
    value: Number(row.value),
    pipeline: row.pipeline,
    commit: row.commit_sha,
    branch: row.branch,
    at: new Date(row.started_at),
  }));
}
