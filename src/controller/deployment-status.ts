import type { Condition } from './conditions.js';

/** How many applied revisions a deployment's status keeps. */
export const HISTORY_LIMIT = 10;

/** What the controller observed and did for one ModelDeployment; written once per reconcile. */
export interface DeploymentStatus {
  /** The `generation` (spec digest) of the last spec the controller acted on. */
  observedGeneration: string | null;
  lastAttemptedRevision: string | null;
  lastAppliedRevision: string | null;
  conditions: Condition[];
  /** The version this deployment put in service, as the server names it. */
  served: { model: string; version: string; digest: string } | null;
  /** Newest first, at most HISTORY_LIMIT. */
  history: Array<{ revision: string; version: string; digest: string; appliedAt: string }>;
  /** A canary in progress: where it is, and how its checks went. */
  rollout: RolloutState | null;
  /** The last version rolled back, so the same spec does not roll it out again. */
  rolledBack: {
    version: string;
    generation: string;
    revision: string;
    at: string;
    /** The branch with the revert the controller pushed to the source, if it could. */
    revert?: { branch: string; commit: string } | { error: string };
  } | null;
  /** When live input drift last opened a retrain run (ISO time). */
  lastRetrainAt?: string;
}

export interface AnalysisCheck {
  name: string;
  value: number | null;
  threshold: number;
  /**
   * Whether the threshold is a maximum (error rate, latency, drift) or a minimum (accuracy).
   * Absent from checks recorded before it existed, which held maximums but for the accuracy ones.
   */
  bound?: 'max' | 'min';
  passed: boolean;
}

export interface RolloutState {
  primary: { version: string; digest: string };
  canary: { version: string; digest: string };
  /** Index into the strategy's steps. */
  step: number;
  failedChecks: number;
  stepStartedAt: string;
  /** When the rollout began (blue-green counts its rollback window from it). */
  startedAt?: string;
  revision: string;
  lastChecks: AnalysisCheck[];
}

export function emptyStatus(): DeploymentStatus {
  return {
    observedGeneration: null,
    lastAttemptedRevision: null,
    lastAppliedRevision: null,
    conditions: [],
    served: null,
    history: [],
    rollout: null,
    rolledBack: null,
  };
}

/** Reads a stored status defensively: a status from an older weft starts afresh where it differs. */
export function readDeploymentStatus(stored: unknown): DeploymentStatus {
  if (typeof stored !== 'object' || stored === null) return emptyStatus();
  return { ...emptyStatus(), ...(stored as Partial<DeploymentStatus>) };
}
