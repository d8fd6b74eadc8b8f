import type { Kysely } from 'kysely';
import { WeftError } from '../core/errors.js';
import { planLineageEdges } from './lineage.js';
import { toArtifactRow, toRunRow, toStageExecutionRow } from './rows.js';
import type { MetadataDatabase } from './schema.js';
import type {
  NewRun,
  NewStageExecution,
  RunRecord,
  RunStatus,
  StageExecutionRecord,
} from './types.js';

type Db = Kysely<MetadataDatabase>;

/** Rows per INSERT: keeps a stage with thousands of outs under every driver's parameter cap. */
const ROWS_PER_INSERT = 500;

export async function insertRun(db: Db, run: NewRun): Promise<RunRecord> {
  const { id } = await db
    .insertInto('runs')
    .values(toRunRow(run))
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...run, targets: [...run.targets], id, status: 'running', finishedAt: null };
}

export async function updateRunStatus(
  db: Db,
  id: number,
  status: RunStatus,
  finishedAt: Date,
): Promise<void> {
  const result = await db
    .updateTable('runs')
    .set({ status, finished_at: finishedAt.toISOString() })
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new WeftError('NOT_FOUND', `failed to finish run ${id}: no such run`);
  }
}

/**
 * Writes an execution with its artifacts, metrics and lineage edges. Call it inside a
 * transaction: it issues several statements and a failure in any must leave none behind.
 */
export async function insertStageExecution(
  trx: Db,
  execution: NewStageExecution,
): Promise<StageExecutionRecord> {
  const run = await trx
    .selectFrom('runs')
    .select('commit_sha')
    .where('id', '=', execution.runId)
    .executeTakeFirst();
  if (run === undefined) {
    throw new WeftError(
      'NOT_FOUND',
      `failed to record stage ${execution.stage}: run ${execution.runId} does not exist`,
    );
  }
  const { id } = await trx
    .insertInto('stage_executions')
    .values(toStageExecutionRow(execution))
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertArtifacts(trx, id, execution);
  await insertMetrics(trx, id, execution);
  await insertLineageEdges(trx, id, execution, run.commit_sha);
  return { ...execution, id };
}

async function insertArtifacts(trx: Db, id: number, execution: NewStageExecution): Promise<void> {
  const rows = [
    ...execution.deps.map((dep) => toArtifactRow(id, 'dep', dep)),
    ...execution.outs.map((out) => toArtifactRow(id, 'out', out)),
  ];
  for (const chunk of chunksOf(rows)) await trx.insertInto('artifacts').values(chunk).execute();
}

async function insertMetrics(trx: Db, id: number, execution: NewStageExecution): Promise<void> {
  const rows = execution.metrics.map((metric) => ({
    stage_execution_id: id,
    run_id: execution.runId,
    file: metric.file,
    key: metric.key,
    value: metric.value,
  }));
  for (const chunk of chunksOf(rows)) await trx.insertInto('metrics').values(chunk).execute();
}

async function insertLineageEdges(
  trx: Db,
  id: number,
  execution: NewStageExecution,
  commit: string | null,
): Promise<void> {
  const edges = planLineageEdges({ ...execution, executionId: id, commit });
  const rows = edges.map((edge) => ({
    from_kind: edge.from.kind,
    from_id: edge.from.id,
    to_kind: edge.to.kind,
    to_id: edge.to.id,
    relation: edge.relation,
    run_id: execution.runId,
  }));
  for (const chunk of chunksOf(rows)) await trx.insertInto('lineage_edges').values(chunk).execute();
}

function chunksOf<T>(rows: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    chunks.push(rows.slice(start, start + ROWS_PER_INSERT));
  }
  return chunks;
}
