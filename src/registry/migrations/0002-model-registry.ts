import type { Kysely } from 'kysely';
import { addIdColumn } from './id-column.js';

/**
 * The model registry: numbered versions of each named model, the aliases pointing at them and
 * every move of an alias. `run_id` is no foreign key: a version outlives the run history that
 * garbage collection may prune.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('model_versions'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('digest', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('artifact_path', 'text', (col) => col.notNull())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addColumn('metrics', 'text', (col) => col.notNull())
    .addColumn('params', 'text', (col) => col.notNull())
    .addColumn('commit_sha', 'text')
    .addColumn('data_digests', 'text', (col) => col.notNull())
    .addColumn('run_id', 'integer', (col) => col.notNull())
    .addColumn('stage', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    // The first serves numbering, listing and lookups by version; the second makes the same
    // artifact registered twice one version, even when two registrations race.
    .addUniqueConstraint('model_versions_name_version', ['name', 'version'])
    .addUniqueConstraint('model_versions_name_digest', ['name', 'digest'])
    .execute();

  await db.schema
    .createTable('model_aliases')
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('alias', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('model_aliases_pkey', ['name', 'alias'])
    .execute();

  await addIdColumn(db, db.schema.createTable('alias_events'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('alias', 'text', (col) => col.notNull())
    .addColumn('version', 'integer')
    .addColumn('previous_version', 'integer')
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('alias_events_name_alias')
    .on('alias_events')
    .columns(['name', 'alias', 'id'])
    .execute();
}
