import type { LiveEvidence } from '../serving/live-evidence.js';
import type { ResolvedAnalysis } from '../spec/deployment-types.js';
import type { AnalysisCheck } from './deployment-status.js';

export interface AnalysisInput {
  /** The new version's evidence, its predictions compared with the primary's. */
  canary: LiveEvidence;
  /** The primary's evidence over the same window. */
  primary: LiveEvidence;
  analysis: ResolvedAnalysis;
}

export type AnalysisVerdict =
  | { verdict: 'pass' | 'fail'; checks: AnalysisCheck[] }
  | { verdict: 'inconclusive'; checks: AnalysisCheck[]; reason: string };

/**
 * Holds the canary's live evidence over the window to the deployment's thresholds, against the
 * primary where a threshold is relative. A check whose evidence is missing (no feedback yet,
 * no reference data) is left out; too few requests make the whole analysis inconclusive.
 */
export function analyseCanary(input: AnalysisInput): AnalysisVerdict {
  const { analysis } = input;
  const canary = input.canary.requests;
  const primary = input.primary.requests;
  const checks: AnalysisCheck[] = [];
  const atMost = (name: string, value: number | null, threshold: number | null): void => {
    if (value !== null && threshold !== null) checks.push(checkAtMost(name, value, threshold));
  };
  const atLeast = (name: string, value: number | null, threshold: number | null): void => {
    if (value !== null && threshold !== null) checks.push(checkAtLeast(name, value, threshold));
  };
  if (canary.requests < analysis.minRequests) {
    return {
      verdict: 'inconclusive',
      checks,
      reason: `${canary.requests} requests reached the new version, fewer than the ${analysis.minRequests} an analysis needs`,
    };
  }
  atMost('errorRate', canary.errorRate, analysis.maxErrorRate);
  atMost('p99LatencyMs', canary.p99LatencyMs, analysis.maxP99LatencyMs);
  const ratio =
    canary.p99LatencyMs !== null && primary.p99LatencyMs
      ? canary.p99LatencyMs / primary.p99LatencyMs
      : null;
  atMost('p99LatencyRatio', ratio, analysis.maxP99LatencyRatio);
  atLeast('onlineAccuracy', input.canary.onlineAccuracy.accuracy, analysis.minOnlineAccuracy);
  const { predictionDrift, inputDrift } = input.canary;
  if (predictionDrift && analysis.maxPredictionDrift !== null) {
    // Few labels are tested with chi-squared (a p-value), many with Jensen-Shannon (a distance).
    if (predictionDrift.method === 'jensenshannon') {
      atMost('predictionDrift', predictionDrift.statistic, analysis.maxPredictionDrift);
    } else if (predictionDrift.pValue !== undefined) {
      atLeast('predictionDriftPValue', predictionDrift.pValue, predictionDrift.threshold);
    }
  }
  if (inputDrift && analysis.maxInputDrift) {
    const psis = Object.values(inputDrift.features).flatMap((f) =>
      f.psi === undefined ? [] : [f.psi],
    );
    atMost('inputDriftPsi', psis.length ? Math.max(...psis) : null, analysis.maxInputDrift.psi);
  }
  return { verdict: checks.every((c) => c.passed) ? 'pass' : 'fail', checks };
}

/** A check that passes while `value` stays at or under `threshold`. */
export function checkAtMost(name: string, value: number, threshold: number): AnalysisCheck {
  return { name, value, threshold, bound: 'max', passed: value <= threshold };
}

/** A check that passes while `value` stays at or over `threshold`. */
export function checkAtLeast(name: string, value: number, threshold: number): AnalysisCheck {
  return { name, value, threshold, bound: 'min', passed: value >= threshold };
}

/** `errorRate 0 <= 0.01, onlineAccuracy 0.9695 < 0.97`: each value beside its limit. */
export function describeChecks(checks: AnalysisCheck[]): string {
  return checks
    .map((c) => `${c.name} ${formatValue(c.value)} ${comparisonOf(c)} ${c.threshold}`)
    .join(', ');
}

function formatValue(value: number | null): string {
  return value === null ? '-' : String(Number(value.toPrecision(4)));
}

function comparisonOf(check: AnalysisCheck): string {
  // A check recorded before checks had a bound is read as a maximum (most were).
  if (check.bound === 'min') return check.passed ? '>=' : '<';
  return check.passed ? '<=' : '>';
}
