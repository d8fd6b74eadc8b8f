import type { Kysely } from 'kysely';
import { addIdColumn } from './id-column.js';

/**
 * What weft learnt about a model version offline: evaluations (metrics, fairness, importance on
 * one dataset) and validations (gate verdicts against a baseline). The result is JSON; the
 * columns beside it are what lookups filter on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('model_checks'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('dataset_path', 'text', (col) => col.notNull())
    .addColumn('dataset_digest', 'text', (col) => col.notNull())
    .addColumn('config_digest', 'text', (col) => col.notNull())
    .addColumn('passed', 'integer')
    .addColumn('result', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('model_checks_version')
    .on('model_checks')
    .columns(['name', 'version', 'kind', 'id'])
    .execute();
}
