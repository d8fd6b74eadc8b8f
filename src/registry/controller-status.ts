import type { Kysely, Selectable } from 'kysely';
import type { ControllerStatusTable, MetadataDatabase } from './schema.js';
import type { StatusEntry } from './types.js';

type Db = Kysely<MetadataDatabase>;

/** The controller's status per object: one JSON document per (kind, name), replaced whole. */

export async function queryStatus(db: Db, kind: string, name: string): Promise<unknown> {
  const row = await db
    .selectFrom('controller_status')
    .select('status')
    .where('kind', '=', kind)
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.status) as unknown);
}

export async function queryStatusEntry(
  db: Db,
  kind: string,
  name: string,
): Promise<StatusEntry | undefined> {
  const row = await db
    .selectFrom('controller_status')
    .selectAll()
    .where('kind', '=', kind)
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : toStatusEntry(row);
}

export async function upsertStatus(
  db: Db,
  target: { kind: string; name: string },
  status: unknown,
  at: Date,
): Promise<void> {
  const values = { ...target, status: JSON.stringify(status), updated_at: at.toISOString() };
  await db
    .insertInto('controller_status')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['kind', 'name'])
        .doUpdateSet({ status: values.status, updated_at: values.updated_at }),
    )
    .execute();
}

/** By name; a page (keyset on the primary key) when `page` is given, else every object. */
export async function queryStatuses(
  db: Db,
  kind: string,
  page?: { after?: string; limit?: number },
): Promise<StatusEntry[]> {
  const rows = await db
    .selectFrom('controller_status')
    .selectAll()
    .where('kind', '=', kind)
    .$if(page?.after !== undefined, (q) => q.where('name', '>', page?.after ?? ''))
    .orderBy('name')
    .$if(page !== undefined, (q) => q.limit(Math.min(Math.max(page?.limit ?? 50, 1), 1000)))
    .execute();
  return rows.map(toStatusEntry);
}

function toStatusEntry(row: Selectable<ControllerStatusTable>): StatusEntry {
  return {
    name: row.name,
    status: JSON.parse(row.status) as unknown,
    updatedAt: new Date(row.updated_at),
  };
}
