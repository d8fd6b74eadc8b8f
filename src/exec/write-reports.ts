import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ReportInput } from '../evaluate/types.js';
import {
  renderJUnit,
  renderJson,
  renderMarkdown,
  renderPlots,
  type MarkdownOptions,
  type PlotName,
} from '../report/index.js';

export const REPORT_FORMATS = ['md', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  md: 'report.md',
  json: 'report.json',
  junit: 'junit.xml',
};

/**
 * Writes the reports of a validation into `dir`: Markdown with its plots as SVG files beside it,
 * JSON and JUnit XML. Each file is replaced atomically. Returns the paths written.
 */
export async function writeReports(
  dir: string,
  input: ReportInput,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
): Promise<string[]> {
  return writeReportFiles(dir, renderReportFiles(input, formats));
}

/**
 * The report files of a validation, file name -> text, for callers that add to them before
 * writing (`weft ci` appends its deployment preview to the Markdown). Pure.
 */
export function renderReportFiles(
  input: ReportInput,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  markdown: Omit<MarkdownOptions, 'plotLinks'> = {},
): Map<string, string> {
  const files = new Map<string, string>();
  if (formats.includes('md')) {
    const plots = Object.entries(renderPlots(input)) as [PlotName, string][];
    const plotLinks: Partial<Record<PlotName, string>> = {};
    for (const [name, svg] of plots) {
      plotLinks[name] = `${name}.svg`;
      files.set(`${name}.svg`, svg);
    }
    files.set(REPORT_FILE_NAMES.md, renderMarkdown(input, { ...markdown, plotLinks }));
  }
  if (formats.includes('json')) files.set(REPORT_FILE_NAMES.json, renderJson(input));
  if (formats.includes('junit')) files.set(REPORT_FILE_NAMES.junit, renderJUnit(input));
  return files;
}

/** Writes each file into `dir` (created if missing), atomically; returns the paths written. */
export async function writeReportFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of files) {
    await writeFileAtomic(join(dir, name), text);
    written.push(join(dir, name));
  }
  return written;
}
