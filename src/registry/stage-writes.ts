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
 * Writes executions in order, each with its artifacts, metrics and lineage edges. Call it inside
 * a transaction: it issues several statements and a failure in any must leave none behind.
 */
export async function insertStageExecutions(
  trx: Db,
  executions: readonly NewStageExecution[],
): Promise<StageExecutionRecord[]> {
  const commits = await readRunCommits(trx, executions);
  const records: StageExecutionRecord[] = [];
  for (const execution of executions) {
    records.push(await insertStageExecution(trx, execution, commits));
  }
  return records;
}

/**
 * The commit of each run the executions belong to, in one query however many executions a
 * run has. Refuses the first execution (in order) whose run does not exist.
 */
async function readRunCommits(
  trx: Db,
  executions: readonly NewStageExecution[],
): Promise<Map<number, string | null>> {
  const runIds = [...new Set(executions.map((execution) => execution.runId))];
  if (runIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('runs')
    .select(['id', 'commit_sha'])
    .where('id', 'in', runIds)
    .execute();
  const commits = new Map(rows.map((row) => [row.id, row.commit_sha]));
  const orphan = executions.find((execution) => !commits.has(execution.runId));
  if (orphan !== undefined) {
    throw new WeftError(
      'NOT_FOUND',
      `failed to record stage ${orphan.stage}: run ${orphan.runId} does not exist`,
    );
  }
  return commits;
}

async function insertStageExecution(
  trx: Db,
  execution: NewStageExecution,
  commits: Map<number, string | null>,
): Promise<StageExecutionRecord> {
  const { id } = await trx
    .insertInto('stage_executions')
    .values(toStageExecutionRow(execution))
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertArtifacts(trx, id, execution);
  await insertMetrics(trx, id, execution);
  await insertLineageEdges(trx, id, execution, commits.get(execution.runId) ?? null);
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
