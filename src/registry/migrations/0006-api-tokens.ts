import { sql, type Kysely } from 'kysely';
import { addIdColumn } from './id-column.js';

/**
 * Tokens of the control-plane API. Only the sha256 of each secret is kept (the secrets are
 * high-entropy, so a plain hash cannot be reversed by guessing); a revoked token stays, so the
 * audit log's names keep meaning one token.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('api_tokens'))
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('scope', 'text', (col) =>
      col.notNull().check(sql`scope in ('read', 'deploy', 'admin')`),
    )
    .addColumn('hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
}
