import type { Kysely } from 'kysely';
import { addIdColumn } from './id-column.js';

/**
 * An append-only audit log: each entry carries the hash of the one before it, so editing or
 * deleting an entry breaks the chain (`weft audit verify`). The unique `prev_hash` makes two
 * writers that raced for the same predecessor fail one of them, which then retries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('object_kind', 'text', (col) => col.notNull())
    .addColumn('object_name', 'text', (col) => col.notNull())
    .addColumn('revision', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('prev_hash', 'text', (col) => col.notNull().unique())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
}
