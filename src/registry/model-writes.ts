import type { Kysely } from 'kysely';
import { WeftError } from '../core/errors.js';
import { insertAuditEntry } from './audit-log.js';
import { toAliasEventRow, toModelVersionRow } from './model-rows.js';
import { queryModelVersion } from './model-queries.js';
import type { MetadataDatabase } from './schema.js';
import type { AliasChange, AliasEvent, ModelVersion, NewModelVersion } from './types.js';

type Db = Kysely<MetadataDatabase>;

/**
 * Registers `model` as the next version of its name, or returns the version that already holds
 * its digest. Call it inside a transaction. Two registrations racing on PostgreSQL may both
 * pick the same number: the loser fails on a unique constraint and the caller retries it.
 */
export async function insertModelVersion(
  trx: Db,
  model: NewModelVersion,
): Promise<{ version: ModelVersion; created: boolean }> {
  const existing = await queryModelVersion(trx, model.name, { digest: model.digest });
  if (existing !== undefined) return { version: existing, created: false };
  const { latest } = await trx
    .selectFrom('model_versions')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('name', '=', model.name)
    .executeTakeFirstOrThrow();
  const version = (latest === null ? 0 : Number(latest)) + 1;
  await trx.insertInto('model_versions').values(toModelVersionRow(model, version)).execute();
  // A copy, so the caller cannot change the returned record by changing its input.
  return { version: { ...structuredClone(model), version, aliases: [] }, created: true };
}

/** Points `alias` at `version` and records the move. Call it inside a transaction. */
export async function upsertAlias(
  trx: Db,
  target: { name: string; alias: string; version: number },
  change: AliasChange,
): Promise<AliasEvent> {
  const { name, alias, version } = target;
  const exists = await trx
    .selectFrom('model_versions')
    .select('version')
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (exists === undefined) {
    throw new WeftError(
      'NOT_FOUND',
      `failed to set alias ${alias} of model ${name}: no version ${version}`,
    );
  }
  const previousVersion = await lockAlias(trx, name, alias);
  await trx
    .insertInto('model_aliases')
    .values({ name, alias, version })
    .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version }))
    .execute();
  return appendAliasEvent(trx, { name, alias, version, previousVersion, ...change });
}

/** Removes `alias` and records the removal. Call it inside a transaction. */
export async function deleteAlias(
  trx: Db,
  target: { name: string; alias: string },
  change: AliasChange,
): Promise<AliasEvent> {
  const { name, alias } = target;
  const previousVersion = await lockAlias(trx, name, alias);
  if (previousVersion === null) {
    throw new WeftError(
      'NOT_FOUND',
      `failed to unset alias ${alias} of model ${name}: the alias is not set`,
    );
  }
  await trx
    .deleteFrom('model_aliases')
    .where('name', '=', name)
    .where('alias', '=', alias)
    .execute();
  return appendAliasEvent(trx, { name, alias, version: null, previousVersion, ...change });
}

/**
 * The version an alias points at now, or null. The no-op update first locks the row on
 * PostgreSQL, so a concurrent move commits before we read and our event names the true
 * previous version (SQLite writers are serialized already).
 */
async function lockAlias(trx: Db, name: string, alias: string): Promise<number | null> {
  await trx
    .updateTable('model_aliases')
    .set((eb) => ({ version: eb.ref('version') }))
    .where('name', '=', name)
    .where('alias', '=', alias)
    .execute();
  const row = await trx
    .selectFrom('model_aliases')
    .select('version')
    .where('name', '=', name)
    .where('alias', '=', alias)
    .executeTakeFirst();
  return row === undefined ? null : Number(row.version);
}

/** Records the move in the alias history and, in the same transaction, in the audit log. */
async function appendAliasEvent(trx: Db, event: AliasEvent): Promise<AliasEvent> {
  await trx.insertInto('alias_events').values(toAliasEventRow(event)).execute();
  await insertAuditEntry(trx, {
    at: event.at,
    actor: event.actor,
    action: event.version === null ? 'alias.unset' : 'alias.set',
    object: { kind: 'ModelAlias', name: `${event.name}:${event.alias}` },
    revision: null,
    before: { version: event.previousVersion },
    after: { version: event.version, reason: event.reason },
  });
  return event;
}
