import type { Generated } from 'kysely';

/**
 * Row shapes of the run-history tables, as both dialects return them. Timestamps are ISO-8601
 * text, JSON columns are text, booleans are 0/1 integers: the types every dialect stores alike.
 */
export interface MetadataDatabase {
  runs: RunsTable;
  stage_executions: StageExecutionsTable;
  artifacts: ArtifactsTable;
  metrics: MetricsTable;
  lineage_edges: LineageEdgesTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  alias_events: AliasEventsTable;
  model_checks: ModelChecksTable;
  audit_log: AuditLogTable;
  controller_status: ControllerStatusTable;
  api_tokens: ApiTokensTable;
}

export interface RunsTable {
  id: Generated<number>;
  pipeline: string;
  commit_sha: string | null;
  dirty: number;
  branch: string | null;
  author: string | null;
  /** JSON array of stage names. */
  targets: string;
  status: string;
  started_at: string;
  finished_at: string | null;
}

export interface StageExecutionsTable {
  id: Generated<number>;
  run_id: number;
  stage: string;
  cache_key: string;
  outcome: string;
  /** JSON array of sentences. */
  reasons: string;
  started_at: string;
  duration_ms: number;
  exit_code: number | null;
  log_digest: string | null;
  /** JSON object, dotted param path -> value. */
  params: string;
}

export interface ArtifactsTable {
  id: Generated<number>;
  stage_execution_id: number;
  role: 'dep' | 'out';
  path: string;
  digest: string;
  size: number;
  kind: string;
}

export interface MetricsTable {
  id: Generated<number>;
  stage_execution_id: number;
  run_id: number;
  file: string;
  key: string;
  value: number;
}

export interface LineageEdgesTable {
  id: Generated<number>;
  from_kind: string;
  from_id: string;
  to_kind: string;
  to_id: string;
  relation: string;
  run_id: number;
}

export interface ModelVersionsTable {
  id: Generated<number>;
  name: string;
  version: number;
  digest: string;
  size: number;
  artifact_path: string;
  /** JSON: ModelSignature. */
  signature: string;
  /** JSON array of MetricValue. */
  metrics: string;
  /** JSON object, dotted param path -> value. */
  params: string;
  commit_sha: string | null;
  /** JSON array of ArtifactRef. */
  data_digests: string;
  run_id: number;
  stage: string;
  created_at: string;
}

export interface ModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

export interface AliasEventsTable {
  id: Generated<number>;
  name: string;
  alias: string;
  /** Null when the alias was removed. */
  version: number | null;
  previous_version: number | null;
  actor: string;
  reason: string;
  at: string;
}

export interface ModelChecksTable {
  id: Generated<number>;
  name: string;
  version: number;
  /** `evaluation` or `validation`. */
  kind: string;
  dataset_path: string;
  dataset_digest: string;
  config_digest: string;
  /** Validations: 0/1; evaluations: null. */
  passed: number | null;
  /** JSON of the evaluation or validation result. */
  result: string;
  actor: string;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  object_kind: string;
  object_name: string;
  revision: string | null;
  /** JSON, or null. */
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

export interface ControllerStatusTable {
  kind: string;
  name: string;
  /** JSON of the object's status. */
  status: string;
  updated_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  /** `read`, `deploy` or `admin`. */
  scope: string;
  /** sha256 hex of the secret; the secret itself is never stored. */
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
