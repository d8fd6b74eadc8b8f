import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import { runStoreOperation } from './failure.js';
import { runExclusive } from './keyed-mutex.js';
import { migrateToLatest } from './migrate.js';
import type { MetadataDatabase } from './schema.js';
import { destroyOnFailure, SqlMetadataStore } from './sql-store.js';

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

interface BetterSqliteDatabase extends SqliteDatabase {
  pragma(source: string): unknown;
}
type BetterSqliteConstructor = new (file: string) => BetterSqliteDatabase;

/**
 * Opens (creating it and its directory if needed) the SQLite store at `path` and migrates it.
 * WAL lets readers run beside a writer; writers take the lock at BEGIN (see below).
 */
export function openSqliteMetadataStore(path: string): Promise<SqlMetadataStore> {
  const file = resolve(path);
  return runStoreOperation(`open metadata store ${file}`, async () => {
    await mkdir(dirname(file), { recursive: true });
    const db = new Kysely<MetadataDatabase>({
      dialect: new ImmediateSqliteDialect({ database: openDatabase(file) }),
    });
    const serializeWrite = <T>(write: () => Promise<T>): Promise<T> => runExclusive(file, write);
    const appliedMigrations = await destroyOnFailure(db, () =>
      migrateToLatest(db as Kysely<unknown>, {
        runExclusive: (migrate) =>
          serializeWrite(() =>
            db.connection().execute((conn) => inImmediateTransaction(conn, migrate)),
          ),
      }),
    );
    return new SqlMetadataStore(db, { serializeWrite, appliedMigrations });
  });
}

function openDatabase(file: string): BetterSqliteDatabase {
  // Loaded on demand and typed through kysely's own SqliteDatabase interface.
  const Database = createRequire(import.meta.url)('better-sqlite3') as BetterSqliteConstructor;
  const database = new Database(file);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Safe with WAL (a crash loses at most the last commits, never consistency) and much faster.
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return reusePreparedStatements(database);
}

/** More distinct statements than weft has queries: the cache cannot grow without bound. */
const MAX_PREPARED = 500;

/**
 * kysely prepares every query anew, while a run issues the same few statements for each of its
 * stages: prepared statements are kept by SQL text and reused (SQLite re-prepares one itself
 * should the schema change under it). Safe because kysely runs each to completion (`all` or
 * `run`; weft never streams).
 */
function reusePreparedStatements(database: BetterSqliteDatabase): BetterSqliteDatabase {
  const prepared = new Map<string, ReturnType<BetterSqliteDatabase['prepare']>>();
  const prepare = database.prepare.bind(database);
  database.prepare = (sqlText: string) => {
    let statement = prepared.get(sqlText);
    if (statement === undefined) {
      statement = prepare(sqlText);
      if (prepared.size < MAX_PREPARED) prepared.set(sqlText, statement);
    }
    return statement;
  };
  return database;
}

/**
 * kysely's SqliteAdapter runs migrations without a transaction or a lock; BEGIN IMMEDIATE
 * gives both, so a second process waits (busy_timeout) and then finds nothing left to do.
 */
async function inImmediateTransaction<T>(
  conn: Kysely<MetadataDatabase>,
  work: (db: Kysely<unknown>) => Promise<T>,
): Promise<T> {
  await sql`begin immediate`.execute(conn);
  try {
    const result = await work(conn as Kysely<unknown>);
    await sql`commit`.execute(conn);
    return result;
  } catch (error) {
    await sql`rollback`.execute(conn);
    throw error;
  }
}

/**
 * Starts transactions with BEGIN IMMEDIATE. A plain BEGIN takes the write lock only at the
 * first write; a second process that read in between then fails with SQLITE_BUSY at once
 * (its snapshot is stale) instead of waiting for busy_timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
