import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeCause, redactUrl } from './failure.js';
import { openMetadataStore } from './index.js';
import { describeMetadataStoreContract } from './metadata-store.contract.js';
import { expectUpgradeFromFirstMigration } from './metadata-store-upgrade.fixtures.js';

// Set (as CI does) means the suite must run: an unreachable server fails it, never skips it.
const url = process.env.WEFT_TEST_POSTGRES_URL ?? '';

interface AdminClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
}
type ClientConstructor = new (config: object) => AdminClient;

describe.runIf(url !== '')('PostgreSQL metadata store', () => {
  let admin: AdminClient | undefined;
  let schema = '';

  beforeAll(async () => {
    const { Client } = createRequire(import.meta.url)('pg') as { Client: ClientConstructor };
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new Error(
        `PostgreSQL at ${redactUrl(url)} is unreachable (${describeCause(error)}); ` +
          'WEFT_TEST_POSTGRES_URL is set, so this suite must run: start the server or unset it',
      );
    }
    admin = client;
  });
  afterAll(async () => {
    await admin?.end();
  });

  beforeEach(async () => {
    // A fresh schema per test, so tests (and concurrent CI jobs) never see each other's rows.
    schema = `weft_test_${randomBytes(6).toString('hex')}`;
    await admin?.query(`create schema ${schema}`);
  });
  afterEach(async () => {
    await admin?.query(`drop schema if exists ${schema} cascade`);
  });

  describeMetadataStoreContract('postgres', () =>
    openMetadataStore({ kind: 'postgres', url, schema }),
  );

  it('creates its schema when it does not exist yet', async () => {
    await admin?.query(`drop schema ${schema}`);
    const store = await openMetadataStore({ kind: 'postgres', url, schema });
    try {
      expect(store.appliedMigrations.length).toBeGreaterThan(0);
      expect(await store.listRuns()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('upgrades a store that only has the first migration, keeping its runs', async () => {
    const { Pool } = createRequire(import.meta.url)('pg') as {
      Pool: new (config: object) => PostgresPool;
    };
    const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 1 });
    const legacy = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    await expectUpgradeFromFirstMigration(
      legacy,
      () => openMetadataStore({ kind: 'postgres', url, schema }),
      schema,
    );
  });

  it('refuses a schema name that is not a plain lowercase identifier', async () => {
    await expect(
      openMetadataStore({ kind: 'postgres', url, schema: 'x; drop table runs' }),
    ).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('PostgreSQL metadata store without a server', () => {
  it('fails to open with METADATA_FAILED and a URL without its password', async () => {
    const closed = 'postgres://weft:s3cret@127.0.0.1:1/nowhere';
    const opening = openMetadataStore({ kind: 'postgres', url: closed });
    await expect(opening).rejects.toMatchObject({ code: 'METADATA_FAILED' });
    const message = await opening.then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(message).toContain('127.0.0.1:1');
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('s3cret');
  });
});
