import type { Kysely } from 'kysely';

/**
 * What the controller last observed and did, per object (a source, a deployment): written once
 * at the end of each reconcile, so a restarted controller resumes from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('controller_status')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('controller_status_pkey', ['kind', 'name'])
    .execute();
}
