/**
 * `weft report` renderers: the verdicts of `weft validate` and the evaluation behind them as a
 * GitHub PR comment (Markdown), standalone SVG plots, JSON and JUnit XML. All pure: callers
 * write the files.
 */
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { reportMarker } from './markdown-verdict.js';
export { renderPlots, PLOT_NAMES, type PlotName } from './plots/index.js';
export { renderJson, REPORT_SCHEMA_VERSION } from './json.js';
export { renderJUnit } from './junit.js';
export type { Change, MetricComparison } from './compare.js';
export type { ParamChange } from './params-diff.js';
