import { SqliteAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Adds an integer primary key the database numbers itself. The one place the dialects differ:
 * SQLite needs AUTOINCREMENT (so ids of deleted rows are never reused, which keeps run cursors
 * stable), PostgreSQL spells the same thing `serial`.
 */
export function addIdColumn<TB extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<TB>,
): CreateTableBuilder<TB, 'id'> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    return table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());
  }
  return table.addColumn('id', 'serial', (col) => col.primaryKey());
}
