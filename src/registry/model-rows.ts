import type { Selectable } from 'kysely';
import type { Digest } from '../core/digest.js';
import type { AliasEventsTable, ModelVersionsTable } from './schema.js';
import type {
  AliasEvent,
  ArtifactRef,
  MetricValue,
  ModelSignature,
  ModelVersion,
  NewModelVersion,
} from './types.js';

/** Conversions between model-registry records and rows; JSON columns are encoded only here. */

export function toModelVersionRow(
  model: NewModelVersion,
  version: number,
): Omit<Selectable<ModelVersionsTable>, 'id'> {
  return {
    name: model.name,
    version,
    digest: model.digest,
    size: model.size,
    artifact_path: model.artifactPath,
    signature: JSON.stringify(model.signature),
    metrics: JSON.stringify(model.metrics),
    params: JSON.stringify(model.params),
    commit_sha: model.commit,
    data_digests: JSON.stringify(model.dataDigests),
    run_id: model.runId,
    stage: model.stage,
    created_at: model.createdAt.toISOString(),
  };
}

export function toModelVersion(
  row: Selectable<ModelVersionsTable>,
  aliases: readonly string[],
): ModelVersion {
  return {
    name: row.name,
    version: Number(row.version),
    digest: row.digest as Digest,
    // bigint column: PostgreSQL drivers may hand it back as a string.
    size: Number(row.size),
    artifactPath: row.artifact_path,
    signature: JSON.parse(row.signature) as ModelSignature,
    metrics: JSON.parse(row.metrics) as MetricValue[],
    params: JSON.parse(row.params) as Record<string, unknown>,
    commit: row.commit_sha,
    dataDigests: JSON.parse(row.data_digests) as ArtifactRef[],
    runId: Number(row.run_id),
    stage: row.stage,
    createdAt: new Date(row.created_at),
    aliases: sortByCodePoint(aliases),
  };
}

export function toAliasEventRow(event: AliasEvent): Omit<Selectable<AliasEventsTable>, 'id'> {
  return {
    name: event.name,
    alias: event.alias,
    version: event.version,
    previous_version: event.previousVersion,
    actor: event.actor,
    reason: event.reason,
    at: event.at.toISOString(),
  };
}

export function toAliasEvent(row: Selectable<AliasEventsTable>): AliasEvent {
  return {
    name: row.name,
    alias: row.alias,
    version: row.version === null ? null : Number(row.version),
    previousVersion: row.previous_version === null ? null : Number(row.previous_version),
    actor: row.actor,
    reason: row.reason,
    at: new Date(row.at),
  };
}

/**
 * Sorted the same on every dialect: SQL ORDER BY on text follows the database's collation,
 * which differs between SQLite (bytes) and PostgreSQL (locale).
 */
export function sortByCodePoint(values: readonly string[]): string[] {
  return [...values].sort(compareCodePoints);
}

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
