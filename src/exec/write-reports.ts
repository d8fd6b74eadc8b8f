import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ReportInput } from '../evaluate/types.js';
import {
  renderJUnit,
  renderJson,
  renderMarkdown,
  renderPlots,
  type PlotName,
} from '../report/index.js';

export const REPORT_FORMATS = ['md', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FILE_NAMES: Record<ReportFormat, string> = {
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
  await mkdir(dir, { recursive: true });
  const files = new Map<string, string>();
  if (formats.includes('md')) {
    const plots = Object.entries(renderPlots(input)) as [PlotName, string][];
    const plotLinks: Partial<Record<PlotName, string>> = {};
    for (const [name, svg] of plots) {
      plotLinks[name] = `${name}.svg`;
      files.set(`${name}.svg`, svg);
    }
    files.set(FILE_NAMES.md, renderMarkdown(input, { plotLinks }));
  }
  if (formats.includes('json')) files.set(FILE_NAMES.json, renderJson(input));
  if (formats.includes('junit')) files.set(FILE_NAMES.junit, renderJUnit(input));
  const written: string[] = [];
  for (const [name, text] of files) {
    await writeFileAtomic(join(dir, name), text);
    written.push(join(dir, name));
  }
  return written;
}
