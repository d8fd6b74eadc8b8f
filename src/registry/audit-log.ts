import type { Kysely, Selectable } from 'kysely';
import { digestJson } from '../core/digest.js';
import type { AuditLogTable, MetadataDatabase } from './schema.js';
import type { AuditEntry, AuditFilter, AuditVerification, NewAuditEntry } from './types.js';

type Db = Kysely<MetadataDatabase>;

export const AUDIT_GENESIS = 'genesis';

/** The hash an entry must carry: over its content and its predecessor's hash. */
export function hashAuditEntry(entry: NewAuditEntry, prevHash: string): string {
  return digestJson({
    prevHash,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    object: entry.object,
    revision: entry.revision,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/** Appends after the newest entry. Call it inside a transaction; a lost race is a unique violation. */
export async function insertAuditEntry(trx: Db, entry: NewAuditEntry): Promise<AuditEntry> {
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? AUDIT_GENESIS;
  // Hash what will be read back: JSON drops undefined and turns dates into strings.
  const stored = {
    ...entry,
    before: jsonRoundTrip(entry.before),
    after: jsonRoundTrip(entry.after),
  };
  const hash = hashAuditEntry(stored, prevHash);
  const { id } = await trx
    .insertInto('audit_log')
    .values({
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      object_kind: entry.object.kind,
      object_name: entry.object.name,
      revision: entry.revision,
      before: JSON.stringify(stored.before),
      after: JSON.stringify(stored.after),
      prev_hash: prevHash,
      hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...stored, id: Number(id), prevHash, hash };
}

function jsonRoundTrip(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Newest first; each filter has an index pairing it with `id` (migration 0007). */
export async function queryAudit(db: Db, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.objectKind !== undefined) query = query.where('object_kind', '=', filter.objectKind);
  if (filter.objectName !== undefined) query = query.where('object_name', '=', filter.objectName);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since.toISOString());
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toAuditEntry);
}

/** Walks the whole log oldest first, in pages, so a long log verifies in bounded memory. */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS;
  let entries = 0;
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id', 'asc')
      .limit(1000)
      .execute();
    for (const row of rows) {
      const entry = toAuditEntry(row);
      if (entry.prevHash !== prevHash) {
        return {
          ok: false,
          entries,
          brokenAt: entry.id,
          reason: 'it does not follow the entry before it (one was removed or reordered)',
        };
      }
      if (hashAuditEntry(entry, prevHash) !== entry.hash) {
        return {
          ok: false,
          entries,
          brokenAt: entry.id,
          reason: 'its content does not match its hash (it was edited)',
        };
      }
      prevHash = entry.hash;
      entries += 1;
      after = entry.id;
    }
    if (rows.length < 1000) return { ok: true, entries };
  }
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(row.id),
    at: new Date(row.at),
    actor: row.actor,
    action: row.action,
    object: { kind: row.object_kind, name: row.object_name },
    revision: row.revision,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
