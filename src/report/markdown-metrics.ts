/** Metrics against the baseline, and per-class detail for classifiers. */
import type { ClassificationMetrics, Metrics } from '../evaluate/types.js';
import type { MetricComparison } from './compare.js';
import { compareModelMetrics } from './compare.js';
import { formatNumber, formatSigned } from './format.js';
import { bold, renderTable, type Cell, type Column } from './markdown-tables.js';

/** `▲ better`, `▼ worse`: the arrow is the direction of the value, the word what that means. */
export function describeChange({ delta, change }: MetricComparison): string {
  if (change === 'unchanged') return '= unchanged';
  if (delta === null) return '';
  const arrow = delta > 0 ? '▲' : delta < 0 ? '▼' : '=';
  return change === null ? arrow : `${arrow} ${change}`;
}

/** Baseline, Δ and change columns; none when there is no baseline to compare with. */
export function baselineColumns(hasBaseline: boolean): Column[] {
  if (!hasBaseline) return [];
  return [
    { header: 'Baseline', align: 'right' },
    { header: 'Δ', align: 'right' },
    { header: 'Change' },
  ];
}

export function baselineCells(comparison: MetricComparison, hasBaseline: boolean): Cell[] {
  if (!hasBaseline) return [];
  return [
    formatNumber(comparison.baseline),
    formatSigned(comparison.delta),
    describeChange(comparison),
  ];
}

export function renderMetrics(candidate: Metrics, baseline: Metrics | null): string {
  const comparisons = compareModelMetrics(candidate, baseline);
  const hasBaseline = baseline !== null;
  const table = renderTable(
    [
      { header: 'Metric' },
      { header: 'Candidate', align: 'right' },
      ...baselineColumns(hasBaseline),
    ],
    comparisons.map((c) => [c.metric, formatNumber(c.candidate), ...baselineCells(c, hasBaseline)]),
  );
  return `### Metrics\n\n${table}`;
}

/**
 * Wider tables than this do not fit a PR comment's width, and GitHub caps a comment at 65,536
 * characters.
 */
const MAX_CONFUSION_CLASSES = 20;

/** Collapsed, because with many classes it outgrows the rest of the comment. */
export function renderPerClass(metrics: ClassificationMetrics): string {
  const { classes } = metrics;
  const perClass = renderTable(
    [
      { header: 'Class' },
      { header: 'Precision', align: 'right' },
      { header: 'Recall', align: 'right' },
      { header: 'F1', align: 'right' },
      { header: 'Support', align: 'right' },
    ],
    classes.map((name) => {
      const scores = metrics.perClass[name];
      if (!scores) return [name, '—', '—', '—', '—'];
      const { precision, recall, f1, support } = scores;
      return [name, ...[precision, recall, f1, support].map(formatNumber)];
    }),
  );
  return [
    '<details>',
    '<summary>Confusion matrix and per-class metrics</summary>',
    '',
    classes.length <= MAX_CONFUSION_CLASSES
      ? renderConfusionMatrix(metrics.confusionMatrix, classes)
      : `The confusion matrix of ${classes.length} classes is too wide for a table; see the plot or the JSON report.`,
    '',
    perClass,
    '',
    '</details>',
  ].join('\n');
}

/** Rows are the true class, columns the predicted one; the diagonal (correct) is bold. */
export function renderConfusionMatrix(matrix: number[][], classes: string[]): string {
  const columns: Column[] = [
    { header: 'Actual ↓ / Predicted →' },
    ...classes.map((name) => ({ header: name, align: 'right' as const })),
  ];
  const rows = classes.map((name, actual): Cell[] => [
    bold(name),
    ...classes.map((_, predicted) => {
      const count = String(matrix[actual]?.[predicted] ?? 0);
      return actual === predicted ? bold(count) : count;
    }),
  ]);
  return renderTable(columns, rows);
}
