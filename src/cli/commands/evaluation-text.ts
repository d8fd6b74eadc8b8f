import type {
  AttributeFairness,
  EvaluationResult,
  GateVerdict,
  Metrics,
} from '../../evaluate/types.js';
import { readModelMetrics } from '../../evaluate/metric-values.js';
import { formatInterval, formatNumber, formatPercent } from '../../report/format.js';
import { formatDuration, formatTable } from '../output.js';

/** `weft evaluate` for a terminal: headline metrics, fairness per attribute, top features. */
export function describeEvaluation(result: EvaluationResult, cached: boolean): string[] {
  const { model, dataset, timing } = result;
  const how = cached
    ? `stored evaluation of ${result.evaluatedAt}`
    : `evaluated in ${formatDuration(timing.totalMs)}, ${formatPercent(timing.inferenceMs / Math.max(timing.totalMs, 1))} in ONNX Runtime`;
  return [
    `${model.name}@${model.version} on ${dataset.path} (${dataset.rows} rows, ${dataset.digest.slice(0, 19)}): ${how}`,
    `  ${headline(result.metrics)}`,
    ...result.fairness.flatMap(describeFairness),
    ...describeImportance(result),
  ];
}

function headline(metrics: Metrics): string {
  return [...readModelMetrics(metrics)]
    .map(([name, value]) => `${name} ${formatNumber(value)}`)
    .join('  ');
}

function describeFairness(fairness: AttributeFairness): string[] {
  const positive = fairness.positiveClass ? ` (positive class ${fairness.positiveClass})` : '';
  const rows = [
    ['group', 'rows', 'selection rate', 'TPR', 'FPR'],
    ...fairness.groups.map((g) => [
      g.group,
      String(g.rows),
      formatNumber(g.selectionRate),
      formatNumber(g.truePositiveRate),
      formatNumber(g.falsePositiveRate),
    ]),
  ];
  const gaps: [string, typeof fairness.metricGap | null][] = [
    ['demographic_parity_difference', fairness.demographicParityDifference],
    ['demographic_parity_ratio', fairness.demographicParityRatio],
    ['equalized_odds_difference', fairness.equalizedOddsDifference],
    ['metric_gap', fairness.metricGap],
  ];
  return [
    `fairness by ${fairness.attribute}${positive}:`,
    ...indent(formatTable(rows)),
    ...gaps.flatMap(([name, estimate]) =>
      estimate ? [`  ${name} ${formatNumber(estimate.value)} ${formatInterval(estimate)}`] : [],
    ),
  ];
}

function describeImportance(result: EvaluationResult): string[] {
  const { importance } = result;
  if (!importance) return [];
  const rows = importance.features
    .slice(0, 10)
    .map((f) => [f.feature, `${formatNumber(f.mean)} ± ${formatNumber(f.std)}`]);
  return [
    `feature importance (drop in ${importance.scoring}, ${importance.repeats} shuffles each):`,
    ...indent(formatTable(rows)),
  ];
}

/** `weft validate` for a terminal: one line per gate, then the verdict. */
export function describeVerdicts(gates: GateVerdict[], passed: boolean, model: string): string[] {
  return [
    ...gates.map((g) => `  ${g.passed ? 'PASS' : 'FAIL'}  ${g.gate}: ${g.message}`),
    passed
      ? `${model}: all ${gates.length} gates passed`
      : `${model}: FAILED ${gates.filter((g) => !g.passed).length} of ${gates.length} gates`,
  ];
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}
