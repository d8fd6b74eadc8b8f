import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely } from 'kysely';
import { WeftError } from '../core/errors.js';
import { describeCause } from './failure.js';
import { metadataMigrationProvider, metadataMigrations } from './migrations/index.js';

export interface MigrateOptions {
  /** Schema of the store's tables (PostgreSQL); kysely keeps its bookkeeping there too. */
  schema?: string;
  /**
   * Runs the migrator so that no other opener migrates at the same time, handing it the
   * database to migrate through. PostgreSQL passes `db` straight on (kysely's migrator takes an
   * advisory lock there); SQLite, where kysely takes no lock, wraps it in its own.
   */
  runExclusive: (migrate: (db: Kysely<unknown>) => Promise<string[]>) => Promise<string[]>;
}

/**
 * Brings the schema up to date and returns the names of the migrations this call applied.
 * The common case (nothing pending) costs one small query and no lock.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  options: MigrateOptions,
): Promise<string[]> {
  const applied = await readAppliedMigrations(db, options.schema);
  if (listPendingMigrations(applied).length === 0) return [];
  return options.runExclusive((migrationDb) => runMigrator(migrationDb, options.schema));
}

async function runMigrator(db: Kysely<unknown>, schema: string | undefined): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: metadataMigrationProvider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    throw new Error(`migration ${failed} failed: ${describeCause(error)}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names recorded by kysely's migrator; none when its table does not exist yet. */
async function readAppliedMigrations(
  db: Kysely<unknown>,
  schema: string | undefined,
): Promise<string[]> {
  const table =
    schema === undefined ? DEFAULT_MIGRATION_TABLE : `${schema}.${DEFAULT_MIGRATION_TABLE}`;
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
    return rows.map((row) => row.name);
  } catch {
    // A missing table and a failed connection look alike here; the migrator that runs next
    // creates the table or reports the connection error.
    return [];
  }
}

/**
 * Known migrations not yet applied. A store migrated by a newer weft (it knows migrations
 * this one does not) is refused rather than written with an older idea of the schema.
 */
export function listPendingMigrations(applied: readonly string[]): string[] {
  const known = Object.keys(metadataMigrations);
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new WeftError(
      'METADATA_FAILED',
      `failed to open metadata store: it was migrated by a newer weft (unknown migrations ${unknown.join(', ')}); upgrade weft`,
    );
  }
  return known.filter((name) => !applied.includes(name));
}
