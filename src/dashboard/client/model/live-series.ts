import type { Drift, Evidence } from '../api/types.js';
import type { ChartColumns } from './chart-data.js';

/**
 * Live evidence over time. The API answers one window at a time (requests, errors, p99, online
 * accuracy and drift per feature of the served version and of a canary); polling it and keeping
 * each answer gives the series the deployment page charts.
 */
export interface LiveSample {
  /** Seconds since the epoch (uPlot's time axis). */
  t: number;
  served: EvidencePoint;
  canary: EvidencePoint | null;
  /** Input drift statistic of the served version per feature (KS D, chi-squared...). */
  drift: Record<string, number>;
}

export interface EvidencePoint {
  version: string;
  requests: number;
  errorRate: number | null;
  p99LatencyMs: number | null;
  accuracy: number | null;
}

const MAX_SAMPLES = 600;

function pointOf(evidence: Evidence): EvidencePoint {
  return {
    version: evidence.version,
    requests: evidence.requests.requests,
    errorRate: evidence.requests.errorRate,
    p99LatencyMs: evidence.requests.p99LatencyMs,
    accuracy: evidence.onlineAccuracy.accuracy,
  };
}

export function appendSample(samples: readonly LiveSample[], drift: Drift, at: Date): LiveSample[] {
  const features = drift.served.inputDrift?.features ?? {};
  const sample: LiveSample = {
    t: at.getTime() / 1000,
    served: pointOf(drift.served),
    canary: drift.canary && pointOf(drift.canary),
    drift: Object.fromEntries(Object.entries(features).map(([name, f]) => [name, f.statistic])),
  };
  return [...samples, sample].slice(-MAX_SAMPLES);
}

/** One metric of served and canary over time, as uPlot columns: [times, served, canary]. */
export function metricColumns(
  samples: readonly LiveSample[],
  read: (point: EvidencePoint) => number | null,
): ChartColumns {
  return [
    samples.map((s) => s.t),
    samples.map((s) => read(s.served)),
    samples.map((s) => (s.canary ? read(s.canary) : null)),
  ];
}

/** Every feature's drift statistic over time, features in name order. */
export function driftColumns(samples: readonly LiveSample[]): {
  features: string[];
  data: ChartColumns;
} {
  const features = [...new Set(samples.flatMap((s) => Object.keys(s.drift)))].sort();
  return {
    features,
    data: [samples.map((s) => s.t), ...features.map((f) => samples.map((s) => s.drift[f] ?? null))],
  };
}
