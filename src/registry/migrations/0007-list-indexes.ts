import type { Kysely } from 'kysely';

/**
 * Indexes behind the API's filtered lists: each pairs a filter column with `id`, so a filtered
 * page newest first is one range scan from the cursor, not a scan of the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const indexes: Array<[name: string, table: string, columns: string[]]> = [
    ['runs_branch_id', 'runs', ['branch', 'id']],
    ['runs_pipeline_id', 'runs', ['pipeline', 'id']],
    ['metrics_key_id', 'metrics', ['key', 'id']],
    ['audit_log_actor_id', 'audit_log', ['actor', 'id']],
    ['audit_log_action_id', 'audit_log', ['action', 'id']],
    ['audit_log_object_id', 'audit_log', ['object_kind', 'object_name', 'id']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
}
