import type { Kysely } from 'kysely';
import { compareCodePoints, sortByCodePoint, toAliasEvent, toModelVersion } from './model-rows.js';
import { clampRunLimit, toCommitPrefix } from './run-queries.js';
import type { MetadataDatabase } from './schema.js';
import type {
  AliasEvent,
  ModelSummary,
  ModelVersion,
  ModelVersionFilter,
  ModelVersionRef,
} from './types.js';

type Db = Kysely<MetadataDatabase>;

/** One version by number, alias or artifact digest, with the aliases pointing at it. */
export async function queryModelVersion(
  db: Db,
  name: string,
  ref: ModelVersionRef,
): Promise<ModelVersion | undefined> {
  const version = await findVersionNumber(db, name, ref);
  if (version === undefined) return undefined;
  const row = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const aliases = await queryAliasesByVersion(db, name);
  return toModelVersion(row, aliases.get(version) ?? []);
}

async function findVersionNumber(
  db: Db,
  name: string,
  ref: ModelVersionRef,
): Promise<number | undefined> {
  if ('version' in ref) return ref.version;
  const row =
    'alias' in ref
      ? await db
          .selectFrom('model_aliases')
          .select('version')
          .where('name', '=', name)
          .where('alias', '=', ref.alias)
          .executeTakeFirst()
      : await db
          .selectFrom('model_versions')
          .select('version')
          .where('name', '=', name)
          .where('digest', '=', ref.digest)
          .executeTakeFirst();
  return row === undefined ? undefined : Number(row.version);
}

/** Newest first, `before` a version-number cursor; the page size is clamped as for runs. */
export async function queryModelVersions(
  db: Db,
  name: string,
  filter: ModelVersionFilter = {},
): Promise<ModelVersion[]> {
  const commit = filter.commit === undefined ? undefined : toCommitPrefix(filter.commit);
  if (filter.commit !== undefined && commit === undefined) return [];
  const rows = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('name', '=', name)
    .$if(filter.before !== undefined, (q) => q.where('version', '<', filter.before ?? 0))
    .$if(commit !== undefined, (q) => q.where('commit_sha', 'like', `${commit ?? ''}%`))
    .orderBy('version', 'desc')
    .limit(clampRunLimit(filter.limit))
    .execute();
  const aliases = await queryAliasesByVersion(db, name);
  return rows.map((row) => toModelVersion(row, aliases.get(Number(row.version)) ?? []));
}

/** version -> aliases pointing at it, for one model. */
async function queryAliasesByVersion(db: Db, name: string): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('model_aliases')
    .select(['alias', 'version'])
    .where('name', '=', name)
    .execute();
  const byVersion = new Map<number, string[]>();
  for (const row of rows) {
    const version = Number(row.version);
    byVersion.set(version, [...(byVersion.get(version) ?? []), row.alias]);
  }
  return byVersion;
}

/** One summary per model name, sorted by name. */
export async function queryModels(db: Db): Promise<ModelSummary[]> {
  const counts = await db
    .selectFrom('model_versions')
    .select((eb) => [
      'name',
      eb.fn.max('version').as('latest'),
      eb.fn.countAll<number | string>().as('count'),
    ])
    .groupBy('name')
    .execute();
  const aliases = await db
    .selectFrom('model_aliases')
    .select(['name', 'alias', 'version'])
    .execute();
  const summaries = new Map<string, ModelSummary>();
  for (const row of counts) {
    const summary = { latestVersion: Number(row.latest), versionCount: Number(row.count) };
    summaries.set(row.name, { name: row.name, ...summary, aliases: {} });
  }
  for (const row of aliases.sort((a, b) => compareCodePoints(a.alias, b.alias))) {
    const summary = summaries.get(row.name);
    if (summary !== undefined) summary.aliases[row.alias] = Number(row.version);
  }
  return sortByCodePoint([...summaries.keys()]).flatMap((name) => summaries.get(name) ?? []);
}

/** Oldest first: every move of one alias, or of all aliases of the model. */
export async function queryAliasHistory(
  db: Db,
  name: string,
  alias?: string,
): Promise<AliasEvent[]> {
  const rows = await db
    .selectFrom('alias_events')
    .selectAll()
    .where('name', '=', name)
    .$if(alias !== undefined, (q) => q.where('alias', '=', alias ?? ''))
    .orderBy('id')
    .execute();
  return rows.map(toAliasEvent);
}
