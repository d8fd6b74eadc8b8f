/**
 * GitHub-flavoured Markdown tables whose cells are text, never markup: names from user files
 * (classes, features, gates) cannot break a table or inject HTML into a PR comment.
 */

/** Markdown that is already safe, for the few cells that format on purpose (bold, emoji). */
export interface TrustedMarkdown {
  markdown: string;
}

export type Cell = string | TrustedMarkdown;

export type Align = 'left' | 'right' | 'center';

export interface Column {
  header: string;
  align?: Align;
}

const DELIMITERS: Record<Align, string> = { left: '---', right: '---:', center: ':---:' };

/** Text as Markdown that shows exactly that text, on one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/[\\`*_[\]~|]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A code span that holds any text: its fence is longer than any run of backticks inside. */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/\r\n|[\r\n]/g, ' ');
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${oneLine}${padding}${fence}`;
}

export function bold(text: string): TrustedMarkdown {
  return { markdown: `**${escapeMarkdown(text)}**` };
}

export function renderTable(columns: Column[], rows: Cell[][]): string {
  const line = (cells: Cell[]): string => `| ${cells.map(renderCell).join(' | ')} |`;
  const delimiter = `|${columns.map((c) => DELIMITERS[c.align ?? 'left']).join('|')}|`;
  return [line(columns.map((c) => c.header)), delimiter, ...rows.map(line)].join('\n');
}

function renderCell(cell: Cell): string {
  return typeof cell === 'string' ? escapeMarkdown(cell) : cell.markdown;
}
