import type { ResolvedAnalysis, ResolvedBatching } from './deployment-types.js';
import { isPlainObject } from './yaml-document.js';

/**
 * Thresholds a rollout is judged by when the deploy file leaves them out. Checks that need
 * something not every deployment has (labelled feedback, a latency budget) are off.
 *
 * - error rate: at most 1% of requests fail;
 * - latency: p99 at most 1.5x the previous version's; no absolute bound;
 * - input drift: PSI 0.2 per numeric feature (the usual "significant shift" line) and
 *   Jensen-Shannon distance 0.1 per categorical one (Evidently's default);
 * - prediction drift: Jensen-Shannon distance 0.1 between new and previous predicted labels;
 * - shadow agreement: 98% of mirrored requests answered as the previous version did;
 * - an analysis over fewer than 20 requests is inconclusive.
 */
const DEFAULT_INPUT_DRIFT = Object.freeze({ psi: 0.2, jensenShannon: 0.1 });

export const DEFAULT_ANALYSIS: Readonly<ResolvedAnalysis> = Object.freeze({
  minRequests: 20,
  maxErrorRate: 0.01,
  maxP99LatencyMs: null,
  maxP99LatencyRatio: 1.5,
  minOnlineAccuracy: null,
  maxInputDrift: DEFAULT_INPUT_DRIFT,
  maxPredictionDrift: 0.1,
  minShadowAgreement: 0.98,
});

export const DEFAULT_BATCH_LATENCY_MS = 5;

type Threshold = Exclude<keyof ResolvedAnalysis, 'minRequests' | 'maxInputDrift'>;

/** `spec.analysis` with defaults applied; null written for a threshold switches it off. */
export function resolveAnalysis(raw: Record<string, unknown>): ResolvedAnalysis {
  const threshold = (key: Threshold): number | null => {
    const value = raw[key];
    if (value === null || typeof value === 'number') return value;
    return DEFAULT_ANALYSIS[key];
  };
  return {
    minRequests:
      typeof raw.minRequests === 'number' ? raw.minRequests : DEFAULT_ANALYSIS.minRequests,
    maxErrorRate: threshold('maxErrorRate'),
    maxP99LatencyMs: threshold('maxP99LatencyMs'),
    maxP99LatencyRatio: threshold('maxP99LatencyRatio'),
    minOnlineAccuracy: threshold('minOnlineAccuracy'),
    maxInputDrift: resolveInputDrift(raw.maxInputDrift),
    maxPredictionDrift: threshold('maxPredictionDrift'),
    minShadowAgreement: threshold('minShadowAgreement'),
  };
}

function resolveInputDrift(raw: unknown): ResolvedAnalysis['maxInputDrift'] {
  if (raw === null) return null;
  const given = isPlainObject(raw) ? raw : {};
  return {
    psi: typeof given.psi === 'number' ? given.psi : DEFAULT_INPUT_DRIFT.psi,
    jensenShannon:
      typeof given.jensenShannon === 'number'
        ? given.jensenShannon
        : DEFAULT_INPUT_DRIFT.jensenShannon,
  };
}

/** `spec.batching`, or null when absent: batching is opt-in, as in `weft serve`. */
export function resolveBatching(raw: unknown): ResolvedBatching | null {
  if (!isPlainObject(raw) || typeof raw.maxBatchSize !== 'number') return null;
  const latency = raw.maxLatencyMs;
  return {
    maxBatchSize: raw.maxBatchSize,
    maxLatencyMs: typeof latency === 'number' ? latency : DEFAULT_BATCH_LATENCY_MS,
  };
}
