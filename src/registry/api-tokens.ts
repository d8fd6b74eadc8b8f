import type { Kysely, Selectable } from 'kysely';
import { insertAuditEntry } from './audit-log.js';
import type { ApiTokensTable, MetadataDatabase } from './schema.js';
import type { ApiToken, NewApiToken, TokenScope } from './types.js';

type Db = Kysely<MetadataDatabase>;

/**
 * Stores a token and audits its creation. Call it inside a transaction; a name already taken
 * is an expected outcome (undefined), not a failure. A concurrent create of the same name
 * fails on the unique name: run again, it finds the name taken.
 */
export async function insertApiToken(
  trx: Db,
  token: NewApiToken,
  actor: string,
): Promise<ApiToken | undefined> {
  const taken = await trx
    .selectFrom('api_tokens')
    .select('id')
    .where('name', '=', token.name)
    .executeTakeFirst();
  if (taken !== undefined) return undefined;
  const { id } = await trx
    .insertInto('api_tokens')
    .values({
      name: token.name,
      scope: token.scope,
      hash: token.hash,
      created_at: token.createdAt.toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertAuditEntry(trx, {
    at: token.createdAt,
    actor,
    action: 'token.create',
    object: { kind: 'ApiToken', name: token.name },
    revision: null,
    before: null,
    after: { scope: token.scope },
  });
  return { ...token, id: Number(id), lastUsedAt: null, revokedAt: null };
}

/** Marks the named token revoked and audits it. Call it inside a transaction. */
export async function updateRevokedToken(
  trx: Db,
  name: string,
  change: { actor: string; at: Date },
): Promise<ApiToken | undefined> {
  const row = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: change.at.toISOString() })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) return undefined;
  await insertAuditEntry(trx, {
    at: change.at,
    actor: change.actor,
    action: 'token.revoke',
    object: { kind: 'ApiToken', name },
    revision: null,
    before: { scope: row.scope },
    after: null,
  });
  return toApiToken(row);
}

export async function queryApiTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
  return rows.map(toApiToken);
}

export async function queryApiTokenByHash(db: Db, hash: string): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row === undefined ? undefined : toApiToken(row);
}

export async function updateTokenLastUsed(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at.toISOString() })
    .where('id', '=', id)
    .execute();
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: Number(row.id),
    name: row.name,
    scope: row.scope as TokenScope,
    hash: row.hash,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}
