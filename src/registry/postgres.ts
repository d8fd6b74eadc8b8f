import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import { WeftError } from '../core/errors.js';
import { redactUrl, runStoreOperation } from './failure.js';
import { migrateToLatest } from './migrate.js';
import type { MetadataDatabase } from './schema.js';
import { destroyOnFailure, SqlMetadataStore } from './sql-store.js';

/** Unquoted PostgreSQL identifier: what fits `search_path` and kysely's schema option alike. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

type TypeParser = (value: string) => unknown;
interface PgModule {
  Pool: new (config: Record<string, unknown>) => PostgresPool & {
    on(event: 'error', listener: (error: Error) => void): unknown;
  };
  types: { getTypeParser(oid: number, format?: string): TypeParser };
}

/**
 * Opens the store in `schema` (created if missing) of the database at `url` and migrates it.
 * Concurrent openers are safe: kysely's migrator holds an advisory lock while it migrates.
 */
export async function openPostgresMetadataStore(
  url: string,
  schema = 'public',
): Promise<SqlMetadataStore> {
  if (!SCHEMA_NAME.test(schema)) {
    throw new WeftError(
      'USAGE',
      `failed to open metadata store: schema "${schema}" must be lowercase letters, digits and _`,
    );
  }
  return await runStoreOperation(
    `open metadata store ${redactUrl(url)} (schema ${schema})`,
    async () => {
      const db = new Kysely<MetadataDatabase>({
        dialect: new PostgresDialect({ pool: createPool(url, schema) }),
      });
      const appliedMigrations = await destroyOnFailure(db, () =>
        migrateToLatest(db as Kysely<unknown>, {
          schema,
          runExclusive: (migrate) => migrate(db as Kysely<unknown>),
        }),
      );
      return new SqlMetadataStore(db, {
        serializeWrite: (write) => write(),
        appliedMigrations,
        lockAuditChain: async (trx) => {
          await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK[0])}, ${sql.lit(AUDIT_CHAIN_LOCK[1])})`.execute(
            trx,
          );
        },
      });
    },
  );
}

/** Any fixed pair of int4: it names the audit chain's lock among the database's advisory locks ("weft", "audi"). */
const AUDIT_CHAIN_LOCK = [0x77656674, 0x61756469] as const;

function createPool(url: string, schema: string): PostgresPool {
  // Loaded on demand so commands on the SQLite default never pay for pg.
  const pg = createRequire(import.meta.url)('pg') as PgModule;
  const pool = new pg.Pool({
    connectionString: url,
    // Every connection resolves unqualified table names in the store's schema.
    options: `-c search_path=${schema}`,
    max: 4,
    connectionTimeoutMillis: 10_000,
    // bigint columns (sizes, durations) as numbers for this pool only, not pg's global parsers.
    types: {
      getTypeParser: (oid: number, format?: string): TypeParser =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle connection dropped by the server is reported here; without a listener it would
  // crash the process. The next query fails and reports it instead.
  pool.on('error', () => undefined);
  return pool;
}
