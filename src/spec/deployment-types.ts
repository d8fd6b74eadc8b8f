import type { Digest } from '../core/digest.js';
import type { SourceLocation, SpecProblem } from '../core/errors.js';
import type { ModelVersionRef } from '../registry/types.js';

/**
 * Which model version a deployment serves. `ref` is what to serve now; with `follow`, the
 * controller picks the newest version built from the branch and commits it into
 * `spec.model.version`, so `ref` is that committed version, or null before the first bump.
 */
export interface ResolvedModelSelector {
  name: string;
  ref: ModelVersionRef | null;
  follow?: { branch: string; passedGates: boolean };
}

export type ResolvedRuntime =
  | { kind: 'onnx' }
  /** `{port}` in a command element becomes the loopback port the server must listen on. */
  | { kind: 'external'; command: string[]; env: Record<string, string> };

export type StrategyType = 'replace' | 'canary' | 'shadow' | 'bluegreen';

/** Durations are in milliseconds. Only the chosen type's settings are kept. */
export type ResolvedStrategy =
  | { type: 'replace' }
  | { type: 'canary'; steps: number[]; intervalMs: number; maxFailedChecks: number }
  | { type: 'shadow'; durationMs: number; minRequests: number }
  | { type: 'bluegreen'; rollbackWindowMs: number; intervalMs: number; maxFailedChecks: number };

/** Thresholds live evidence is held to during a rollout; null means the check is off. */
export interface ResolvedAnalysis {
  /** Below this many requests an analysis is inconclusive, neither passed nor failed. */
  minRequests: number;
  maxErrorRate: number | null;
  maxP99LatencyMs: number | null;
  /** Against the p99 latency of the version being replaced. */
  maxP99LatencyRatio: number | null;
  minOnlineAccuracy: number | null;
  /** Per feature: PSI for numeric, Jensen-Shannon distance for categorical. */
  maxInputDrift: { psi: number; jensenShannon: number } | null;
  /** Jensen-Shannon distance between new and previous version's predicted labels. */
  maxPredictionDrift: number | null;
  minShadowAgreement: number | null;
}

export interface ResolvedBatching {
  maxBatchSize: number;
  maxLatencyMs: number;
}

/** Retraining when live inputs drift: the pipeline re-runs with --force at most once a cooldown. */
export interface ResolvedRetrain {
  cooldownMs: number;
}

/** `spec` of a ModelDeployment with every default applied: the desired state, as data. */
export interface ResolvedDeploymentSpec {
  model: ResolvedModelSelector;
  runtime: ResolvedRuntime;
  strategy: ResolvedStrategy;
  analysis: ResolvedAnalysis;
  /** null: each request runs alone. */
  batching: ResolvedBatching | null;
  selfHeal: boolean;
  suspend: boolean;
  /** Absent: drift is alerted, nothing is retrained (absent, so older specs keep their generation). */
  retrain?: ResolvedRetrain;
}

export interface ResolvedDeployment {
  apiVersion: 'weft.dev/v1';
  kind: 'ModelDeployment';
  /** metadata.name, unique across deploy/. */
  name: string;
  /** The file as given to the parser, e.g. `deploy/penguins.yaml`; where a bump is committed. */
  file: string;
  /** Where metadata.name is written, for errors that name the deployment. */
  location: SourceLocation;
  spec: ResolvedDeploymentSpec;
  /**
   * Digest of the canonical JSON of `spec`: equal for equal desired states however they are
   * written (key order, comments, `60s` or `1m`), so the controller can set observedGeneration.
   */
  generation: Digest;
}

/** Every deployment of a directory that resolved, and the problems of those that did not. */
export interface DeploymentSet {
  /** Sorted by name. */
  deployments: ResolvedDeployment[];
  problems: SpecProblem[];
}
