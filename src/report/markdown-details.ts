/** The evidence below the verdict: important features, changed params, lineage and plots. */
import type { PermutationImportance, ReportInput } from '../evaluate/types.js';
import { formatNumber } from './format.js';
import { escapeMarkdown, renderTable } from './markdown-tables.js';
import { diffParams, formatParam } from './params-diff.js';
import { PLOT_NAMES, PLOT_TITLES, TOP_FEATURES, type PlotName } from './plots/index.js';

export function renderImportance(importance: PermutationImportance | null): string {
  if (!importance || importance.features.length === 0) return '';
  const top = importance.features.slice(0, TOP_FEATURES);
  const table = renderTable(
    [
      { header: '#', align: 'right' },
      { header: 'Feature' },
      { header: 'Importance', align: 'right' },
    ],
    top.map((f, index) => [
      String(index + 1),
      f.feature,
      `${formatNumber(f.mean)} ± ${formatNumber(f.std)}`,
    ]),
  );
  const hidden = importance.features.length - top.length;
  const notes = [
    `Mean drop in ${escapeMarkdown(importance.scoring)} (± std) when a feature is shuffled, ` +
      `${importance.repeats} repeats, seed ${importance.seed}.`,
    ...(hidden > 0 ? [`${hidden} more features are not shown.`] : []),
  ];
  return `### Top features\n\n${notes.join(' ')}\n\n${table}`;
}

/** Only params that differ from the baseline's; nothing when there is no baseline. */
export function renderParams(params: ReportInput['params']): string {
  if (params.baseline === null) return '';
  const changes = diffParams(params.candidate, params.baseline);
  if (changes.length === 0) return '### Params\n\nNo params differ from the baseline.';
  const table = renderTable(
    [{ header: 'Param' }, { header: 'Baseline' }, { header: 'Candidate' }],
    changes.map((c) => [c.key, formatParam(c.baseline), formatParam(c.candidate)]),
  );
  return `### Params changed\n\n${table}`;
}

export function renderLineage(lineage: string[]): string {
  if (lineage.length === 0) return '';
  return `### Lineage\n\n${lineage.map((line) => `- ${escapeMarkdown(line)}`).join('\n')}`;
}

/**
 * GitHub strips inline SVG from comments and does not reliably show data: URIs, so plots are
 * files the caller writes next to the report, linked here, collapsed so they do not push the
 * verdict off screen.
 */
export function renderPlotLinks(links: Partial<Record<PlotName, string>>): string {
  const images = PLOT_NAMES.flatMap((name) => {
    const link = links[name];
    return link === undefined ? [] : [`![${PLOT_TITLES[name]}](${encodeLink(link)})`];
  });
  if (images.length === 0) return '';
  return ['<details>', '<summary>Plots</summary>', '', images.join('\n\n'), '', '</details>'].join(
    '\n',
  );
}

/** Whitespace, parentheses and angle brackets would end a Markdown link destination early. */
function encodeLink(link: string): string {
  return link.replace(/[\s()<>]/g, (c) =>
    c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c),
  );
}
