import { Migrator, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { sampleAliasChange, sampleModelVersion } from './metadata-store.fixtures.js';
import { metadataMigrationProvider, metadataMigrations } from './migrations/index.js';
import type { MetadataStore } from './types.js';

const FIRST_MIGRATION = '0001-create-run-history';

/**
 * Brings `legacy` (a database of a weft that knew only the first migration) to that migration,
 * writes a run with it, closes it, then checks that opening a store there applies the rest
 * and keeps the run. `schema` is the PostgreSQL schema kysely keeps its bookkeeping in.
 */
export async function expectUpgradeFromFirstMigration(
  legacy: Kysely<unknown>,
  open: () => Promise<MetadataStore>,
  schema?: string,
): Promise<void> {
  try {
    const migrator = new Migrator({
      db: legacy,
      provider: metadataMigrationProvider,
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    const { error } = await migrator.migrateTo(FIRST_MIGRATION);
    expect(error).toBeUndefined();
    await (legacy as Kysely<{ runs: Record<string, unknown> }>)
      .insertInto('runs')
      .values({
        pipeline: 'legacy',
        dirty: 0,
        targets: '[]',
        status: 'succeeded',
        started_at: '2025-12-31T00:00:00.000Z',
      })
      .execute();
  } finally {
    await legacy.destroy();
  }

  const store = await open();
  try {
    // Every migration after the first, in order.
    expect(store.appliedMigrations).toEqual(Object.keys(metadataMigrations).slice(1));
    expect((await store.listRuns()).map((run) => run.pipeline)).toEqual(['legacy']);
    const { version } = await store.registerModelVersion(sampleModelVersion());
    await store.setAlias('credit', 'production', version.version, sampleAliasChange());
    expect(await store.getModelVersion('credit', { alias: 'production' })).toMatchObject({
      version: 1,
      aliases: ['production'],
    });
  } finally {
    await store.close();
  }
}
