import type { Kysely } from 'kysely';
import type { Digest } from '../core/digest.js';
import { retryOnUniqueViolation, runStoreOperation } from './failure.js';
import { queryLineage } from './lineage.js';
import {
  queryAliasHistory,
  queryModels,
  queryModelVersion,
  queryModelVersions,
} from './model-queries.js';
import {
  insertApiToken,
  queryApiTokenByHash,
  queryApiTokens,
  updateRevokedToken,
  updateTokenLastUsed,
} from './api-tokens.js';
import { insertAuditEntry, queryAudit, verifyAuditChain } from './audit-log.js';
import { queryStatus, queryStatusEntry, queryStatuses, upsertStatus } from './controller-status.js';
import { queryMetricHistory } from './metric-history.js';
import { insertModelCheck, queryModelChecks } from './model-checks.js';
import { deleteAlias, insertModelVersion, upsertAlias } from './model-writes.js';
import {
  queryReferencedDigests,
  queryRunDetail,
  queryRunMetrics,
  queryRuns,
} from './run-queries.js';
import type { MetadataDatabase } from './schema.js';
import { insertRun, insertStageExecutions, updateRunStatus } from './stage-writes.js';
import type {
  ApiToken,
  AuditEntry,
  AuditFilter,
  AuditVerification,
  NewAuditEntry,
  AliasChange,
  AliasEvent,
  LineageEdge,
  MetadataStore,
  MetricHistoryFilter,
  MetricPoint,
  MetricValue,
  ModelCheck,
  ModelCheckFilter,
  ModelSummary,
  ModelVersion,
  ModelVersionFilter,
  ModelVersionRef,
  NewApiToken,
  NewModelCheck,
  NewModelVersion,
  NewRun,
  NewStageExecution,
  RunDetail,
  RunFilter,
  RunRecord,
  RunStatus,
  StageExecutionRecord,
  StatusEntry,
} from './types.js';

export interface SqlStoreOptions {
  /**
   * Runs one write (a statement or a whole transaction) so that it does not interleave with
   * writes of other stores on the same database in this process. Only SQLite needs it.
   */
  serializeWrite: <T>(write: () => Promise<T>) => Promise<T>;
  appliedMigrations: readonly string[];
  /**
   * Taken at the start of a transaction that appends to the audit log, so concurrent writers
   * (other processes, other connections) queue for the chain's tail instead of racing for it.
   * PostgreSQL uses an advisory lock; SQLite's single writer needs none.
   */
  lockAuditChain?: (trx: Kysely<MetadataDatabase>) => Promise<void>;
}

/** The MetadataStore both dialects share: all SQL lives in the query modules it calls. */
export class SqlMetadataStore implements MetadataStore {
  readonly appliedMigrations: readonly string[];
  readonly #db: Kysely<MetadataDatabase>;
  readonly #serializeWrite: SqlStoreOptions['serializeWrite'];
  readonly #lockAuditChain: NonNullable<SqlStoreOptions['lockAuditChain']>;

  constructor(db: Kysely<MetadataDatabase>, options: SqlStoreOptions) {
    this.#db = db;
    this.#serializeWrite = options.serializeWrite;
    this.#lockAuditChain = options.lockAuditChain ?? (() => Promise.resolve());
    this.appliedMigrations = Object.freeze([...options.appliedMigrations]);
  }

  createRun(run: NewRun): Promise<RunRecord> {
    return runStoreOperation(`record run of ${run.pipeline}`, () =>
      this.#serializeWrite(() => insertRun(this.#db, run)),
    );
  }

  finishRun(id: number, status: RunStatus, finishedAt: Date): Promise<void> {
    return runStoreOperation(`finish run ${id}`, () =>
      this.#serializeWrite(() => updateRunStatus(this.#db, id, status, finishedAt)),
    );
  }

  async recordStageExecution(execution: NewStageExecution): Promise<StageExecutionRecord> {
    const [record] = await this.#recordStageExecutions(
      `record stage ${execution.stage} of run ${execution.runId}`,
      [execution],
    );
    return record!; // one execution in, one record out
  }

  recordStageExecutions(executions: NewStageExecution[]): Promise<StageExecutionRecord[]> {
    const runs = [...new Set(executions.map((execution) => execution.runId))].join(', ');
    return this.#recordStageExecutions(
      `record ${executions.length} stage executions of run ${runs}`,
      executions,
    );
  }

  listRuns(filter?: RunFilter): Promise<RunRecord[]> {
    return runStoreOperation('list runs', () => queryRuns(this.#db, filter));
  }

  getRun(id: number): Promise<RunDetail | undefined> {
    return runStoreOperation(`read run ${id}`, () => queryRunDetail(this.#db, id));
  }

  runMetrics(id: number): Promise<MetricValue[]> {
    return runStoreOperation(`read metrics of run ${id}`, () => queryRunMetrics(this.#db, id));
  }

  metricHistory(key: string, filter?: MetricHistoryFilter): Promise<MetricPoint[]> {
    return runStoreOperation(`read the history of metric ${key}`, () =>
      queryMetricHistory(this.#db, key, filter),
    );
  }

  lineage(digest: Digest): Promise<LineageEdge[]> {
    return runStoreOperation(`read lineage of ${digest}`, () => queryLineage(this.#db, digest));
  }

  referencedDigests(options?: { keepRuns?: number }): Promise<Set<Digest>> {
    return runStoreOperation('list referenced digests', () =>
      queryReferencedDigests(this.#db, options),
    );
  }

  registerModelVersion(
    model: NewModelVersion,
  ): Promise<{ version: ModelVersion; created: boolean }> {
    return runStoreOperation(`register a version of model ${model.name}`, () =>
      retryOnUniqueViolation(() => this.#inTransaction((trx) => insertModelVersion(trx, model))),
    );
  }

  listModels(): Promise<ModelSummary[]> {
    return runStoreOperation('list models', () => queryModels(this.#db));
  }

  listModelVersions(name: string, filter?: ModelVersionFilter): Promise<ModelVersion[]> {
    return runStoreOperation(`list versions of model ${name}`, () =>
      queryModelVersions(this.#db, name, filter),
    );
  }

  getModelVersion(name: string, ref: ModelVersionRef): Promise<ModelVersion | undefined> {
    return runStoreOperation(`read a version of model ${name}`, () =>
      queryModelVersion(this.#db, name, ref),
    );
  }

  setAlias(name: string, alias: string, version: number, change: AliasChange): Promise<AliasEvent> {
    return runStoreOperation(`set alias ${alias} of model ${name}`, () =>
      // A first setting of an alias can race another on the primary key; retried, it moves it.
      retryOnUniqueViolation(() =>
        this.#inAuditedTransaction((trx) => upsertAlias(trx, { name, alias, version }, change)),
      ),
    );
  }

  unsetAlias(name: string, alias: string, change: AliasChange): Promise<AliasEvent> {
    return runStoreOperation(`unset alias ${alias} of model ${name}`, () =>
      this.#inAuditedTransaction((trx) => deleteAlias(trx, { name, alias }, change)),
    );
  }

  aliasHistory(name: string, alias?: string): Promise<AliasEvent[]> {
    return runStoreOperation(`read alias history of model ${name}`, () =>
      queryAliasHistory(this.#db, name, alias),
    );
  }

  recordModelCheck(check: NewModelCheck): Promise<ModelCheck> {
    return runStoreOperation(`record the ${check.kind} of model ${check.name}`, () =>
      this.#inTransaction((trx) => insertModelCheck(trx, check)),
    );
  }

  listModelChecks(name: string, version: number, filter?: ModelCheckFilter): Promise<ModelCheck[]> {
    return runStoreOperation(`list checks of model ${name}@${version}`, () =>
      queryModelChecks(this.#db, name, version, filter),
    );
  }

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return runStoreOperation(`append to the audit log (${entry.action})`, () =>
      retryOnUniqueViolation(() =>
        this.#inAuditedTransaction((trx) => insertAuditEntry(trx, entry)),
      ),
    );
  }

  listAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    return runStoreOperation('list the audit log', () => queryAudit(this.#db, filter));
  }

  verifyAudit(): Promise<AuditVerification> {
    return runStoreOperation('verify the audit log', () => verifyAuditChain(this.#db));
  }

  readStatus(kind: string, name: string): Promise<unknown> {
    return runStoreOperation(`read the status of ${kind} ${name}`, () =>
      queryStatus(this.#db, kind, name),
    );
  }

  readStatusEntry(kind: string, name: string): Promise<StatusEntry | undefined> {
    return runStoreOperation(`read the status of ${kind} ${name}`, () =>
      queryStatusEntry(this.#db, kind, name),
    );
  }

  writeStatus(kind: string, name: string, status: unknown, at: Date): Promise<void> {
    return runStoreOperation(`write the status of ${kind} ${name}`, () =>
      this.#serializeWrite(() => upsertStatus(this.#db, { kind, name }, status, at)),
    );
  }

  listStatuses(kind: string, page?: { after?: string; limit?: number }): Promise<StatusEntry[]> {
    return runStoreOperation(`list ${kind} statuses`, () => queryStatuses(this.#db, kind, page));
  }

  createApiToken(token: NewApiToken, actor: string): Promise<ApiToken | undefined> {
    return runStoreOperation(`create API token ${token.name}`, () =>
      // A concurrent create of the same name fails on the unique name; retried, it finds it taken.
      retryOnUniqueViolation(() =>
        this.#inAuditedTransaction((trx) => insertApiToken(trx, token, actor)),
      ),
    );
  }

  listApiTokens(): Promise<ApiToken[]> {
    return runStoreOperation('list API tokens', () => queryApiTokens(this.#db));
  }

  findApiToken(hash: string): Promise<ApiToken | undefined> {
    return runStoreOperation('look up an API token', () => queryApiTokenByHash(this.#db, hash));
  }

  revokeApiToken(name: string, change: { actor: string; at: Date }): Promise<ApiToken | undefined> {
    return runStoreOperation(`revoke API token ${name}`, () =>
      this.#inAuditedTransaction((trx) => updateRevokedToken(trx, name, change)),
    );
  }

  touchApiToken(id: number, at: Date): Promise<void> {
    return runStoreOperation('record the use of an API token', () =>
      this.#serializeWrite(() => updateTokenLastUsed(this.#db, id, at)),
    );
  }

  close(): Promise<void> {
    return runStoreOperation('close metadata store', () => this.#db.destroy());
  }

  #recordStageExecutions(
    action: string,
    executions: NewStageExecution[],
  ): Promise<StageExecutionRecord[]> {
    return runStoreOperation(action, () =>
      this.#inTransaction((trx) => insertStageExecutions(trx, executions)),
    );
  }

  /** A write transaction that appends to the audit log: it queues for the chain first. */
  #inAuditedTransaction<T>(work: (trx: Kysely<MetadataDatabase>) => Promise<T>): Promise<T> {
    return this.#inTransaction(async (trx) => {
      await this.#lockAuditChain(trx);
      return work(trx);
    });
  }

  /** One write transaction, serialized with this database's other writers where needed. */
  #inTransaction<T>(work: (trx: Kysely<MetadataDatabase>) => Promise<T>): Promise<T> {
    return this.#serializeWrite(() => this.#db.transaction().execute(work));
  }
}

/** Runs `work` on a freshly opened database and closes the database if it fails. */
export async function destroyOnFailure<T>(
  db: Kysely<MetadataDatabase>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
}
