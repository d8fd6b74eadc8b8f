import type { Digest } from '../core/digest.js';

export type RunStatus = 'running' | 'succeeded' | 'failed';

/** How a stage got its outputs in a run. */
export type StageOutcome = 'ran' | 'restored' | 'up-to-date' | 'failed' | 'skipped';

export interface NewRun {
  pipeline: string;
  /** Full commit sha of HEAD, or null outside Git or before the first commit. */
  commit: string | null;
  /** The working tree had uncommitted changes when the run started. */
  dirty: boolean;
  branch: string | null;
  author: string | null;
  /** The stages asked for (empty = all). */
  targets: string[];
  startedAt: Date;
}

export interface RunRecord extends NewRun {
  id: number;
  status: RunStatus;
  finishedAt: Date | null;
}

export interface ArtifactRef {
  path: string;
  digest: Digest;
  size: number;
  kind: 'file' | 'dir';
}

export interface MetricValue {
  /** Metrics file, repo-relative. */
  file: string;
  /** Dotted path inside the file, e.g. `test.accuracy`. */
  key: string;
  value: number;
}

export interface NewStageExecution {
  runId: number;
  stage: string;
  cacheKey: Digest;
  outcome: StageOutcome;
  /** Why it ran (or why it was restored/skipped), one human sentence each. */
  reasons: string[];
  startedAt: Date;
  durationMs: number;
  exitCode: number | null;
  /** Digest of the stage's log in the object store. */
  logDigest: Digest | null;
  /** Inputs: deps with their digests. */
  deps: ArtifactRef[];
  /** Selected params, dotted path -> value. */
  params: Record<string, unknown>;
  outs: ArtifactRef[];
  metrics: MetricValue[];
}

export interface StageExecutionRecord extends NewStageExecution {
  id: number;
}

export interface RunDetail extends RunRecord {
  stages: StageExecutionRecord[];
}

export type LineageNodeKind = 'artifact' | 'stage_execution' | 'params' | 'commit' | 'run';

export interface LineageNode {
  kind: LineageNodeKind;
  id: string;
}

/** `from` was made from / depends on `to` (edges point towards the inputs). */
export interface LineageEdge {
  from: LineageNode;
  to: LineageNode;
  relation: 'produced_by' | 'used' | 'configured_by' | 'built_from' | 'part_of';
}

export interface RunFilter {
  /** Page size: default 50, at most 1000. */
  limit?: number;
  /** Cursor: only runs with an id below this one (newest first). */
  before?: number;
  status?: RunStatus;
  /** A commit sha or a prefix of one. */
  commit?: string;
  pipeline?: string;
  branch?: string;
  /** Runs started at or after this time. */
  since?: Date;
  /** Runs started before this time. */
  until?: Date;
}

/** Which values of one metric `metricHistory` returns; newest first, paged like runs. */
export interface MetricHistoryFilter {
  /** Page size: default 50, at most 1000. */
  limit?: number;
  /** Cursor: only points with an id below this one. */
  before?: number;
  /** Metrics file, repo-relative. */
  file?: string;
  stage?: string;
  pipeline?: string;
  branch?: string;
  /** Runs started at or after this time. */
  since?: Date;
  /** Runs started before this time. */
  until?: Date;
}

/** One recorded value of a metric, with the run it came from. */
export interface MetricPoint extends MetricValue {
  /** Unique per recorded value: the cursor of metric history. */
  id: number;
  runId: number;
  stage: string;
  pipeline: string;
  commit: string | null;
  branch: string | null;
  /** When the run started. */
  at: Date;
}

/**
 * Run history and lineage. Two implementations (SQLite, PostgreSQL) share one query layer and
 * one set of migrations; a contract suite runs against both.
 */
export interface MetadataStore
  extends ModelRegistry, ModelChecks, AuditLog, ControllerStatusStore, ApiTokens {
  /**
   * Migrations this open applied, in order; empty when the schema was already current (the
   * common case). Lets the caller log a schema upgrade.
   */
  readonly appliedMigrations: readonly string[];
  createRun(run: NewRun): Promise<RunRecord>;
  finishRun(id: number, status: RunStatus, finishedAt: Date): Promise<void>;
  /** Records the execution with its artifacts, metrics and lineage edges in one transaction. */
  recordStageExecution(execution: NewStageExecution): Promise<StageExecutionRecord>;
  /**
   * Records the executions, in order, in one transaction: a failure (a run that does not
   * exist, say) records none of them. Saves a transaction per stage when a run has many.
   */
  recordStageExecutions(executions: NewStageExecution[]): Promise<StageExecutionRecord[]>;
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  getRun(id: number): Promise<RunDetail | undefined>;
  /** Metrics of the newest execution of each stage in a run. */
  runMetrics(id: number): Promise<MetricValue[]>;
  /** Every recorded value of one metric (its dotted key) across runs, newest first. */
  metricHistory(key: string, filter?: MetricHistoryFilter): Promise<MetricPoint[]>;
  /** Edges reachable from an artifact towards its inputs (transitively). */
  lineage(digest: Digest): Promise<LineageEdge[]>;
  /** Every digest a recorded run refers to (outs, deps, logs), for garbage collection. */
  referencedDigests(options?: { keepRuns?: number }): Promise<Set<Digest>>;
  close(): Promise<void>;
}

/** Where run history lives: a SQLite file (the default, under `.weft/`) or a PostgreSQL schema. */
export type MetadataStoreConfig =
  | { kind: 'sqlite'; path: string }
  /** `schema` defaults to `public`; it is created if missing. */
  | { kind: 'postgres'; url: string; schema?: string };

/** One tensor of a model's signature, in Open Inference Protocol terms. */
export interface TensorSpec {
  name: string;
  /** OIP datatype: BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES, ... */
  datatype: string;
  /** -1 for a dimension the model leaves open (e.g. the batch size). */
  shape: number[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface NewModelVersion {
  name: string;
  /** The artifact's digest: the same digest registered twice is the same version. */
  digest: Digest;
  size: number;
  /** Where the pipeline writes it, repo-relative (`spec.model.artifact`). */
  artifactPath: string;
  signature: ModelSignature;
  metrics: MetricValue[];
  /** Params the stages that led to the artifact selected, dotted path -> value. */
  params: Record<string, unknown>;
  commit: string | null;
  /** Inputs no stage writes (source data and code) that the artifact was built from. */
  dataDigests: ArtifactRef[];
  runId: number;
  stage: string;
  createdAt: Date;
}

export interface ModelVersion extends NewModelVersion {
  /** 1, 2, 3... per model name, in registration order. */
  version: number;
  /** Aliases pointing at this version now. */
  aliases: string[];
}

export type ModelVersionRef = { version: number } | { alias: string } | { digest: Digest };

export interface AliasChange {
  actor: string;
  reason: string;
  at: Date;
}

/** One move of an alias; `version` null means the alias was removed. */
export interface AliasEvent extends AliasChange {
  name: string;
  alias: string;
  version: number | null;
  previousVersion: number | null;
}

export interface ModelVersionFilter {
  /** Page size: default 50, at most 1000. */
  limit?: number;
  /** Cursor: only versions numbered below this one. */
  before?: number;
  /** A commit sha or a prefix of one. */
  commit?: string;
}

export interface ModelSummary {
  name: string;
  latestVersion: number;
  versionCount: number;
  /** alias -> version */
  aliases: Record<string, number>;
}

/**
 * The model registry: versions of each named model, addressed by artifact digest, and aliases
 * (`candidate`, `staging`, `production`, any name) whose every move is kept with who, when, why.
 */
export interface ModelRegistry {
  /** Registers a version; an artifact digest already registered under `name` returns that version. */
  registerModelVersion(
    version: NewModelVersion,
  ): Promise<{ version: ModelVersion; created: boolean }>;
  listModels(): Promise<ModelSummary[]>;
  /** Newest first. */
  listModelVersions(name: string, filter?: ModelVersionFilter): Promise<ModelVersion[]>;
  getModelVersion(name: string, ref: ModelVersionRef): Promise<ModelVersion | undefined>;
  /** Fails with NOT_FOUND when the version does not exist. */
  setAlias(name: string, alias: string, version: number, change: AliasChange): Promise<AliasEvent>;
  /** Fails with NOT_FOUND when the alias is not set. */
  unsetAlias(name: string, alias: string, change: AliasChange): Promise<AliasEvent>;
  /** Oldest first. */
  aliasHistory(name: string, alias?: string): Promise<AliasEvent[]>;
}

export type ModelCheckKind = 'evaluation' | 'validation';

/** A result weft computed about a model version offline, kept with it. */
export interface NewModelCheck {
  name: string;
  version: number;
  kind: ModelCheckKind;
  /** The dataset it was computed on, repo-relative, and its digest. */
  datasetPath: string;
  datasetDigest: Digest;
  /** Digest of the settings it was computed with (evaluation spec, gates): same inputs, same result. */
  configDigest: Digest;
  /** Validations: whether every gate passed; evaluations: null. */
  passed: boolean | null;
  /** The result as plain JSON; its shape belongs to the evaluate module. */
  result: unknown;
  actor: string;
  createdAt: Date;
}

export interface ModelCheck extends NewModelCheck {
  id: number;
}

export interface ModelCheckFilter {
  kind?: ModelCheckKind;
  datasetDigest?: Digest;
  configDigest?: Digest;
  /** Page size: default 50, at most 1000. */
  limit?: number;
  /** Cursor: only checks with an id below this one. */
  before?: number;
}

/** Evaluations and validations of model versions. */
export interface ModelChecks {
  /** Fails with NOT_FOUND when the version does not exist. */
  recordModelCheck(check: NewModelCheck): Promise<ModelCheck>;
  /** Newest first. */
  listModelChecks(name: string, version: number, filter?: ModelCheckFilter): Promise<ModelCheck[]>;
}

/** One action to record: who did what to which object, at which revision, from what to what. */
export interface NewAuditEntry {
  at: Date;
  /** A commit author, an API token's name, or `controller`. */
  actor: string;
  /** e.g. `alias.set`, `deployment.apply`, `deployment.rollback`. */
  action: string;
  object: { kind: string; name: string };
  revision: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditEntry extends NewAuditEntry {
  id: number;
  /** Hash of the previous entry (`genesis` for the first). */
  prevHash: string;
  /** sha256 over this entry's content and `prevHash`. */
  hash: string;
}

export type AuditVerification =
  { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

export interface AuditFilter {
  /** Page size: default 50, at most 1000. */
  limit?: number;
  /** Cursor: only entries with an id below this one. */
  before?: number;
  actor?: string;
  /** An exact action, e.g. `alias.set`. */
  action?: string;
  objectKind?: string;
  objectName?: string;
  /** Entries at or after this time. */
  since?: Date;
}

/** The append-only, hash-chained audit log. */
export interface AuditLog {
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Re-computes every hash in order and names the first entry that does not chain. */
  verifyAudit(): Promise<AuditVerification>;
}

/** The controller's last written status per object; the shape belongs to the controller. */
export interface ControllerStatusStore {
  readStatus(kind: string, name: string): Promise<unknown>;
  /** The object's status with the time it was written; undefined when it has none. */
  readStatusEntry(kind: string, name: string): Promise<StatusEntry | undefined>;
  /** Replaces the object's status atomically. */
  writeStatus(kind: string, name: string, status: unknown, at: Date): Promise<void>;
  /**
   * Objects of a kind with their status, by name: all of them, or a page of `limit` (at most
   * 1000) after the name `after` in the database's order of names.
   */
  listStatuses(kind: string, page?: { after?: string; limit?: number }): Promise<StatusEntry[]>;
}

export interface StatusEntry {
  name: string;
  status: unknown;
  updatedAt: Date;
}

/** How much an API token may do; each scope includes the ones before it. */
export type TokenScope = 'read' | 'deploy' | 'admin';

export interface NewApiToken {
  name: string;
  scope: TokenScope;
  /** sha256 hex of the secret; the secret itself is never stored. */
  hash: string;
  createdAt: Date;
}

export interface ApiToken extends NewApiToken {
  id: number;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Tokens of the control-plane API; creating and revoking one is audited in the same transaction. */
export interface ApiTokens {
  /** undefined when the name is taken (by a revoked token too: names stay unique in the audit log). */
  createApiToken(token: NewApiToken, actor: string): Promise<ApiToken | undefined>;
  /** Oldest first, revoked ones included. */
  listApiTokens(): Promise<ApiToken[]>;
  /** The token whose secret hashes to `hash`, revoked or not. */
  findApiToken(hash: string): Promise<ApiToken | undefined>;
  /** undefined when no unrevoked token has this name. */
  revokeApiToken(name: string, change: { actor: string; at: Date }): Promise<ApiToken | undefined>;
  /** Records that the token was used at `at`. */
  touchApiToken(id: number, at: Date): Promise<void>;
}
