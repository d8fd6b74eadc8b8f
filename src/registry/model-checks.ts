import type { Kysely, Selectable } from 'kysely';
import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import type { MetadataDatabase, ModelChecksTable } from './schema.js';
import type { ModelCheck, ModelCheckFilter, ModelCheckKind, NewModelCheck } from './types.js';

type Db = Kysely<MetadataDatabase>;

/** Records an evaluation or validation of a version. Call it inside a transaction. */
export async function insertModelCheck(trx: Db, check: NewModelCheck): Promise<ModelCheck> {
  const exists = await trx
    .selectFrom('model_versions')
    .select('id')
    .where('name', '=', check.name)
    .where('version', '=', check.version)
    .executeTakeFirst();
  if (exists === undefined) {
    throw new WeftError(
      'NOT_FOUND',
      `failed to record the ${check.kind} of model ${check.name}: no version ${check.version}`,
    );
  }
  const { id } = await trx
    .insertInto('model_checks')
    .values({
      name: check.name,
      version: check.version,
      kind: check.kind,
      dataset_path: check.datasetPath,
      dataset_digest: check.datasetDigest,
      config_digest: check.configDigest,
      passed: check.passed === null ? null : Number(check.passed),
      result: JSON.stringify(check.result),
      actor: check.actor,
      created_at: check.createdAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...structuredClone(check), id: Number(id) };
}

export async function queryModelChecks(
  db: Db,
  name: string,
  version: number,
  filter: ModelCheckFilter = {},
): Promise<ModelCheck[]> {
  let query = db
    .selectFrom('model_checks')
    .selectAll()
    .where('name', '=', name)
    .where('version', '=', version);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.datasetDigest) query = query.where('dataset_digest', '=', filter.datasetDigest);
  if (filter.configDigest) query = query.where('config_digest', '=', filter.configDigest);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toModelCheck);
}

function toModelCheck(row: Selectable<ModelChecksTable>): ModelCheck {
  return {
    id: Number(row.id),
    name: row.name,
    version: Number(row.version),
    kind: row.kind as ModelCheckKind,
    datasetPath: row.dataset_path,
    datasetDigest: row.dataset_digest as Digest,
    configDigest: row.config_digest as Digest,
    passed: row.passed === null ? null : Number(row.passed) === 1,
    result: JSON.parse(row.result) as unknown,
    actor: row.actor,
    createdAt: new Date(row.created_at),
  };
}
