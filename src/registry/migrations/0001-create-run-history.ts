import { sql, type Kysely } from 'kysely';
import { addIdColumn } from './id-column.js';

/** Runs, stage executions with their artifacts and metrics, and the lineage graph. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('runs'))
    .addColumn('pipeline', 'text', (col) => col.notNull())
    .addColumn('commit_sha', 'text')
    .addColumn('dirty', 'integer', (col) => col.notNull())
    .addColumn('branch', 'text')
    .addColumn('author', 'text')
    .addColumn('targets', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // The primary key already serves "newest first" scans; these serve the filters.
  await db.schema.createIndex('runs_status_id').on('runs').columns(['status', 'id']).execute();
  await db.schema.createIndex('runs_commit_id').on('runs').columns(['commit_sha', 'id']).execute();

  await addIdColumn(db, db.schema.createTable('stage_executions'))
    .addColumn('run_id', 'integer', (col) =>
      col.notNull().references('runs.id').onDelete('cascade'),
    )
    .addColumn('stage', 'text', (col) => col.notNull())
    .addColumn('cache_key', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('reasons', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('duration_ms', 'bigint', (col) => col.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('log_digest', 'text')
    .addColumn('params', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('stage_executions_run')
    .on('stage_executions')
    .columns(['run_id', 'stage'])
    .execute();

  await createArtifactsAndMetrics(db);
  await createLineageEdges(db);
}

async function createArtifactsAndMetrics(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('artifacts'))
    .addColumn('stage_execution_id', 'integer', (col) =>
      col.notNull().references('stage_executions.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('dep', 'out')`))
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('digest', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('artifacts_digest').on('artifacts').column('digest').execute();
  await db.schema
    .createIndex('artifacts_execution')
    .on('artifacts')
    .column('stage_execution_id')
    .execute();

  await addIdColumn(db, db.schema.createTable('metrics'))
    .addColumn('stage_execution_id', 'integer', (col) =>
      col.notNull().references('stage_executions.id').onDelete('cascade'),
    )
    .addColumn('run_id', 'integer', (col) =>
      col.notNull().references('runs.id').onDelete('cascade'),
    )
    .addColumn('file', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('value', 'double precision', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('metrics_run').on('metrics').column('run_id').execute();
}

async function createLineageEdges(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('lineage_edges'))
    .addColumn('from_kind', 'text', (col) => col.notNull())
    .addColumn('from_id', 'text', (col) => col.notNull())
    .addColumn('to_kind', 'text', (col) => col.notNull())
    .addColumn('to_id', 'text', (col) => col.notNull())
    .addColumn('relation', 'text', (col) => col.notNull())
    .addColumn('run_id', 'integer', (col) =>
      col.notNull().references('runs.id').onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('lineage_edges_from')
    .on('lineage_edges')
    .columns(['from_kind', 'from_id'])
    .execute();
}
