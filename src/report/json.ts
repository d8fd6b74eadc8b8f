/**
 * The report as JSON for scripts and dashboards. Top-level keys keep the order written here
 * (schemaVersion first); keys of every nested object are sorted, so the same report always
 * serialises to the same bytes, whatever order a store returned its fields in.
 */
import type { ReportInput } from '../evaluate/types.js';
import { compareFairnessGaps, compareModelMetrics, type MetricComparison } from './compare.js';
import { diffParams } from './params-diff.js';

export const REPORT_SCHEMA_VERSION = 1;

export function renderJson(input: ReportInput): string {
  const { validation, candidate, baseline } = input;
  const report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    passed: validation.passed,
    model: validation.model,
    baseline: validation.baseline,
    validatedAt: validation.validatedAt,
    commit: input.commit,
    dataset: candidate.dataset,
    label: candidate.label,
    gates: validation.gates,
    metrics: candidate.metrics,
    baselineMetrics: baseline?.metrics ?? null,
    deltas: collectDeltas(input),
    fairness: candidate.fairness,
    importance: candidate.importance,
    /** Null without baseline params to compare with. */
    paramChanges:
      input.params.baseline === null
        ? null
        : diffParams(input.params.candidate, input.params.baseline),
    lineage: input.lineage,
    timing: candidate.timing,
    evaluatedAt: candidate.evaluatedAt,
  };
  return `${JSON.stringify(report, sortNestedKeys, 2)}\n`;
}

/** Model metrics, then each attribute's fairness gaps, named as gates name them. */
function collectDeltas(input: ReportInput): MetricComparison[] {
  const { candidate, baseline } = input;
  const gaps = candidate.fairness.flatMap((fairness) =>
    compareFairnessGaps(
      fairness,
      baseline?.fairness.find((b) => b.attribute === fairness.attribute),
    ).map(({ metric, candidate: value, baseline: before, delta, change }) => ({
      metric,
      candidate: value,
      baseline: before,
      delta,
      change,
    })),
  );
  return [...compareModelMetrics(candidate.metrics, baseline?.metrics ?? null), ...gaps];
}

function sortNestedKeys(key: string, value: unknown): unknown {
  if (key === '' || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
