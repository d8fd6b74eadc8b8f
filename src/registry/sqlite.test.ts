import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetadataStore } from './index.js';
import { sampleAuditEntry } from './metadata-store-audit.contract.js';
import { describeMetadataStoreContract } from './metadata-store.contract.js';
import { expectUpgradeFromFirstMigration } from './metadata-store-upgrade.fixtures.js';

describe('SQLite metadata store', () => {
  let dir = '';
  const storePath = (): string => join(dir, '.weft', 'metadata.db');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-registry-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describeMetadataStoreContract('sqlite', () =>
    openMetadataStore({ kind: 'sqlite', path: storePath() }),
  );

  it('creates the directory of its file and writes ahead to a WAL', async () => {
    const store = await openMetadataStore({ kind: 'sqlite', path: storePath() });
    try {
      await store.createRun({
        pipeline: 'p',
        commit: null,
        dirty: false,
        branch: null,
        author: null,
        targets: [],
        startedAt: new Date(),
      });
      expect((await stat(storePath())).isFile()).toBe(true);
      expect((await stat(`${storePath()}-wal`)).isFile()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('fails with METADATA_FAILED naming the file when it is not a database', async () => {
    await mkdir(join(dir, '.weft'));
    await writeFile(storePath(), 'this is not sqlite, just text that is long enough'.repeat(50));
    await expect(openMetadataStore({ kind: 'sqlite', path: storePath() })).rejects.toMatchObject({
      code: 'METADATA_FAILED',
      message: expect.stringContaining(storePath()) as unknown,
    });
  });

  it('names the audit entry that was edited or removed', async () => {
    const store = await openMetadataStore({ kind: 'sqlite', path: storePath() });
    for (const actor of ['a', 'b', 'c']) await store.appendAudit(sampleAuditEntry({ actor }));
    await store.close();
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
      exec(sql: string): void;
      close(): void;
    };
    const raw = new Database(storePath());
    raw.exec("update audit_log set actor = 'mallory' where id = 2");
    raw.close();
    const reopened = await openMetadataStore({ kind: 'sqlite', path: storePath() });
    expect(await reopened.verifyAudit()).toEqual({
      ok: false,
      entries: 1,
      brokenAt: 2,
      reason: 'its content does not match its hash (it was edited)',
    });
    await reopened.close();
    const again = new Database(storePath());
    again.exec("update audit_log set actor = 'b' where id = 2; delete from audit_log where id = 2");
    again.close();
    const pruned = await openMetadataStore({ kind: 'sqlite', path: storePath() });
    expect(await pruned.verifyAudit()).toMatchObject({ ok: false, brokenAt: 3 });
    await pruned.close();
  });

  it('upgrades a store that only has the first migration, keeping its runs', async () => {
    await mkdir(join(dir, '.weft'));
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (
      file: string,
    ) => SqliteDatabase;
    const legacy = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(storePath()) }),
    });
    await expectUpgradeFromFirstMigration(legacy, () =>
      openMetadataStore({ kind: 'sqlite', path: storePath() }),
    );
  });
});
