/**
 * The report as a GitHub PR comment. Sections in reading order: verdict, gates, metrics,
 * fairness, features, params, lineage; details that only some readers want stay collapsed.
 */
import type { ReportInput } from '../evaluate/types.js';
import { formatModelVersion } from './format.js';
import {
  renderImportance,
  renderLineage,
  renderParams,
  renderPlotLinks,
} from './markdown-details.js';
import { renderFairness } from './markdown-fairness.js';
import { renderMetrics, renderPerClass } from './markdown-metrics.js';
import { renderGates, renderHeadline, reportMarker } from './markdown-verdict.js';
import type { PlotName } from './plots/index.js';

export interface MarkdownOptions {
  /** Headline text; default `weft validate <model>@<version>`. */
  title?: string;
  /** Where the caller wrote each plot of `renderPlots`, relative to the comment or absolute. */
  plotLinks?: Partial<Record<PlotName, string>>;
  /** Markdown added after the report's own sections, in the same comment (`weft ci`'s preview). */
  appendSections?: readonly string[];
}

export function renderMarkdown(input: ReportInput, options: MarkdownOptions = {}): string {
  const { validation, candidate, baseline } = input;
  const title = options.title ?? `weft validate ${formatModelVersion(validation.model)}`;
  const sections = [
    reportMarker(validation.model.name),
    renderHeadline(input, title),
    renderGates(validation.gates),
    renderMetrics(candidate.metrics, baseline?.metrics ?? null),
    candidate.metrics.task === 'classification' ? renderPerClass(candidate.metrics) : '',
    renderFairness(candidate.fairness, baseline?.fairness ?? null),
    renderImportance(candidate.importance),
    renderParams(input.params),
    renderLineage(input.lineage),
    renderPlotLinks(options.plotLinks ?? {}),
    ...(options.appendSections ?? []),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}
