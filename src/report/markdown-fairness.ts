/** One section per sensitive attribute: how each group fared, then the gaps between groups. */
import type { AttributeFairness, GroupMetrics } from '../evaluate/types.js';
import { compareFairnessGaps } from './compare.js';
import { formatInterval, formatNumber } from './format.js';
import { baselineCells, baselineColumns } from './markdown-metrics.js';
import { escapeMarkdown, renderTable, type Cell, type Column } from './markdown-tables.js';

export function renderFairness(
  candidate: AttributeFairness[],
  baseline: AttributeFairness[] | null,
): string {
  if (candidate.length === 0) return '';
  const sections = candidate.map((fairness) =>
    renderAttribute(
      fairness,
      baseline?.find((b) => b.attribute === fairness.attribute),
      baseline !== null,
    ),
  );
  return ['### Fairness', ...sections].join('\n\n');
}

function renderAttribute(
  fairness: AttributeFairness,
  baseline: AttributeFairness | undefined,
  hasBaseline: boolean,
): string {
  const heading = `#### ${escapeMarkdown(fairness.attribute)}`;
  const positive =
    fairness.positiveClass === null
      ? []
      : [`Selection rate is the share predicted ${escapeMarkdown(fairness.positiveClass)}.`];
  return [
    heading,
    ...positive,
    renderGroups(fairness.groups),
    renderGaps(fairness, baseline, hasBaseline),
  ].join('\n\n');
}

function renderGroups(groups: GroupMetrics[]): string {
  const isClassification = groups.some((g) => g.metrics.task === 'classification');
  const columns: Column[] = isClassification
    ? ['Group', 'Rows', 'Selection rate', 'Accuracy', 'TPR', 'FPR'].map(toColumn)
    : ['Group', 'Rows', 'Mean prediction', 'RMSE'].map(toColumn);
  const rows = groups.map((group): Cell[] => {
    const { metrics } = group;
    const score = metrics.task === 'classification' ? metrics.accuracy : metrics.rmse;
    const cells = [
      group.group,
      String(group.rows),
      formatNumber(group.selectionRate),
      formatNumber(score),
    ];
    if (!isClassification) return cells;
    return [...cells, formatNumber(group.truePositiveRate), formatNumber(group.falsePositiveRate)];
  });
  return renderTable(columns, rows);
}

function toColumn(header: string, index: number): Column {
  return index === 0 ? { header } : { header, align: 'right' };
}

/** Gap names are the ones gates use, e.g. `sex.demographic_parity_difference`. */
function renderGaps(
  fairness: AttributeFairness,
  baseline: AttributeFairness | undefined,
  hasBaseline: boolean,
): string {
  const columns: Column[] = [
    { header: 'Gap' },
    { header: 'Candidate', align: 'right' },
    { header: 'Confidence interval', align: 'right' },
    ...baselineColumns(hasBaseline),
  ];
  const rows = compareFairnessGaps(fairness, baseline).map((gap): Cell[] => [
    gap.metric,
    formatNumber(gap.candidate),
    formatInterval(gap.estimate),
    ...baselineCells(gap, hasBaseline),
  ]);
  return renderTable(columns, rows);
}
