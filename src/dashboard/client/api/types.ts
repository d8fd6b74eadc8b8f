/**
 * What the control-plane API answers, as the browser receives it: the JSON of the schemas in
 * src/api/schemas (times are ISO strings here, not Dates). Shapes that are plain JSON already
 * (deployment status, evaluation results) are imported from the modules that own them.
 */
import type { AnalysisCheck, DeploymentStatus } from '../../../controller/deployment-status.js';

export type { AnalysisCheck, DeploymentStatus };
export type {
  AttributeFairness,
  ClassificationMetrics,
  EvaluationResult,
  GateVerdict,
  Metrics,
  ReportInput,
} from '../../../evaluate/types.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type TokenScope = 'read' | 'deploy' | 'admin';

export interface Session {
  name: string;
  scope: TokenScope;
  csrfToken: string;
  expiresAt: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface Run {
  id: number;
  pipeline: string;
  commit: string | null;
  dirty: boolean;
  branch: string | null;
  author: string | null;
  targets: string[];
  startedAt: string;
  status: RunStatus;
  finishedAt: string | null;
}

export interface Artifact {
  path: string;
  digest: string;
  size: number;
  kind: 'file' | 'dir';
}

export interface MetricValue {
  file: string;
  key: string;
  value: number;
}

export type StageOutcome = 'ran' | 'restored' | 'up-to-date' | 'failed' | 'skipped';

export interface StageExecution {
  id: number;
  runId: number;
  stage: string;
  cacheKey: string;
  outcome: StageOutcome;
  reasons: string[];
  startedAt: string;
  durationMs: number;
  exitCode: number | null;
  logDigest: string | null;
  params: Record<string, unknown>;
  deps: Artifact[];
  outs: Artifact[];
  metrics: MetricValue[];
}

export interface RunDetail extends Run {
  stages: StageExecution[];
}

export type LineageNodeKind = 'artifact' | 'stage_execution' | 'params' | 'commit' | 'run';

export interface LineageEdge {
  from: { kind: LineageNodeKind; id: string };
  to: { kind: LineageNodeKind; id: string };
  relation: 'produced_by' | 'used' | 'configured_by' | 'built_from' | 'part_of';
}

export interface ModelSummary {
  name: string;
  latestVersion: number;
  versionCount: number;
  aliases: Record<string, number>;
}

export interface ModelVersion {
  name: string;
  version: number;
  digest: string;
  size: number;
  artifactPath: string;
  metrics: MetricValue[];
  params: Record<string, unknown>;
  commit: string | null;
  dataDigests: Artifact[];
  runId: number;
  stage: string;
  createdAt: string;
  aliases: string[];
}

export interface ModelVersionDetail extends ModelVersion {
  lineage: LineageEdge[];
}

export interface ModelCheck {
  id: number;
  name: string;
  version: number;
  kind: 'evaluation' | 'validation';
  datasetPath: string;
  datasetDigest: string;
  configDigest: string;
  passed: boolean | null;
  /** An EvaluationResult (evaluation) or a ReportInput (validation); read defensively. */
  result: unknown;
  actor: string;
  createdAt: string;
}

export type Deployment = DeploymentStatus & { name: string; updatedAt: string };

export interface TrafficPolicy {
  weights: Array<{ version: string; weight: number }>;
  shadow?: string;
}

export interface DeploymentDetail extends Deployment {
  live: { versions: string[]; traffic: TrafficPolicy } | null;
}

export interface FeatureDrift {
  kind: 'numeric' | 'categorical';
  method: string;
  statistic: number;
  pValue?: number;
  psi?: number;
  threshold: number;
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
}

export interface Evidence {
  model: string;
  version: string;
  window: { from: number; to: number };
  requests: {
    requests: number;
    errors: number;
    errorRate: number | null;
    p99LatencyMs: number | null;
  };
  onlineAccuracy: { correct: number; total: number; accuracy: number | null };
  inputDrift: {
    sampleSize: number;
    features: Record<string, FeatureDrift>;
    skipped: string[];
  } | null;
  predictionDrift: FeatureDrift | null;
}

export interface Drift {
  name: string;
  served: Evidence;
  canary: Evidence | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  object: { kind: string; name: string };
  revision: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  brokenAt?: number;
  reason?: string;
}
