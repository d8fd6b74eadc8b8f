import { isLowerBetter } from '../spec/gate-metrics.js';
import type { ResolvedGate } from '../spec/types.js';
import { readModelMetrics } from './metric-values.js';
import type { AttributeFairness, EvaluationResult, GateVerdict } from './types.js';

/** A baseline a `noWorseThan` gate names, found (with its evaluation) or not (with why). */
export type BaselineLookup =
  { ref: string; version: number; result: EvaluationResult } | { ref: string; missing: string };

export interface GateEvidence {
  candidate: EvaluationResult;
  baselines: ReadonlyMap<string, BaselineLookup>;
  /** Outcome of rebuilding the candidate, when a gate asks for it. */
  reproducibility: { identical: boolean; message: string } | null;
}

/** One verdict per condition: a gate with both `min` and `noWorseThan` gives two. */
export function judgeGates(gates: readonly ResolvedGate[], evidence: GateEvidence): GateVerdict[] {
  return gates.flatMap((gate): GateVerdict[] => {
    if (gate.kind === 'reproducible') return [judgeReproducible(evidence)];
    const value = metricValue(evidence.candidate, gate.metric);
    const verdicts: GateVerdict[] = [];
    if (gate.min !== undefined) verdicts.push(judgeBound(gate.metric, value, gate.min, 'min'));
    if (gate.max !== undefined) verdicts.push(judgeBound(gate.metric, value, gate.max, 'max'));
    if (gate.noWorseThan !== undefined) {
      const baseline = evidence.baselines.get(gate.noWorseThan);
      verdicts.push(judgeAgainstBaseline(gate, value, baseline));
    }
    return verdicts;
  });
}

const FAIRNESS_FIELDS: Readonly<Record<string, (f: AttributeFairness) => number | null>> = {
  demographic_parity_difference: (f) => f.demographicParityDifference.value,
  demographic_parity_ratio: (f) => f.demographicParityRatio.value,
  equalized_odds_difference: (f) => f.equalizedOddsDifference?.value ?? null,
  metric_gap: (f) => f.metricGap.value,
};

/**
 * The value of a gate's metric in an evaluation, or null when the model has none (rmse of a
 * classifier, ROC AUC without probabilities). An unprefixed fairness gap is the worst attribute's.
 */
export function metricValue(result: EvaluationResult, metric: string): number | null {
  const model = readModelMetrics(result.metrics);
  if (model.has(metric)) return model.get(metric) ?? null;
  const dot = metric.indexOf('.');
  const gap = metric.slice(dot + 1);
  const read = FAIRNESS_FIELDS[gap];
  if (read === undefined) return null;
  const attributes =
    dot < 0 ? result.fairness : result.fairness.filter((f) => f.attribute === metric.slice(0, dot));
  const values = attributes.map(read).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  return isLowerBetter(metric) ? Math.max(...values) : Math.min(...values);
}

function judgeBound(
  metric: string,
  value: number | null,
  bound: number,
  kind: 'min' | 'max',
): GateVerdict {
  const gate = `${metric} ${kind === 'min' ? '>=' : '<='} ${bound}`;
  const base = { gate, kind, metric, value, threshold: bound, baseline: null };
  if (value === null) return { ...base, passed: false, message: unavailable(metric) };
  const passed = kind === 'min' ? value >= bound : value <= bound;
  const relation = passed
    ? kind === 'min'
      ? 'at least'
      : 'at most'
    : kind === 'min'
      ? 'below'
      : 'above';
  return { ...base, passed, message: `${metric} is ${format(value)}, ${relation} ${bound}` };
}

function judgeAgainstBaseline(
  gate: Extract<ResolvedGate, { kind: 'metric' }>,
  value: number | null,
  baseline: BaselineLookup | undefined,
): GateVerdict {
  const ref = gate.noWorseThan ?? '';
  const tolerance = gate.relative ? `${gate.tolerance * 100}%` : `${gate.tolerance}`;
  const text = `${gate.metric} no worse than ${ref}${gate.tolerance ? ` (tolerance ${tolerance})` : ''}`;
  const base = { gate: text, kind: 'noWorseThan' as const, metric: gate.metric, value };
  if (!baseline || 'missing' in baseline) {
    const message = baseline?.missing ?? `no baseline ${ref}`;
    return { ...base, threshold: null, baseline: null, passed: false, message };
  }
  const reference = metricValue(baseline.result, gate.metric);
  const found = { ref, version: baseline.version, value: reference };
  if (value === null || reference === null) {
    return {
      ...base,
      threshold: null,
      baseline: found,
      passed: false,
      message: unavailable(gate.metric),
    };
  }
  const slack = gate.relative ? gate.tolerance * Math.abs(reference) : gate.tolerance;
  const lower = isLowerBetter(gate.metric);
  const threshold = lower ? reference + slack : reference - slack;
  const passed = lower ? value <= threshold : value >= threshold;
  const model = `${baseline.result.model.name}@${baseline.version}`;
  const message = `${gate.metric} is ${format(value)} vs ${format(reference)} for ${ref} (${model}); ${passed ? 'within' : 'worse than'} the allowed ${format(threshold)}`;
  return { ...base, threshold, baseline: found, passed, message };
}

function judgeReproducible(evidence: GateEvidence): GateVerdict {
  const outcome = evidence.reproducibility;
  return {
    gate: 'reproducible',
    kind: 'reproducible',
    metric: null,
    passed: outcome?.identical === true,
    value: null,
    threshold: null,
    baseline: null,
    message: outcome?.message ?? 'reproducibility was not checked',
  };
}

function unavailable(metric: string): string {
  return `${metric} is not available for this model and dataset (wrong task, no probabilities or no sensitive attribute)`;
}

/** Enough digits to see a difference at the third decimal, without float noise. */
export function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}
