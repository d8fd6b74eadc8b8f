/** Test helpers that read Markdown tables back into cells. */

/** The cells of a table row, split on pipes that are not escaped. */
export function splitRow(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The `index`-th table after the line `heading`, as cells, without the delimiter row. */
export function readTable(markdown: string, heading: string, index = 0): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no line "${heading}"`);
  const tables: string[][] = [];
  let current: string[] = [];
  for (const line of [...lines.slice(start + 1), '']) {
    if (line.startsWith('|')) {
      current.push(line);
    } else if (current.length > 0) {
      tables.push(current);
      current = [];
    }
  }
  const table = tables[index];
  if (!table) throw new Error(`no table ${index} after "${heading}"`);
  return table.filter((_, row) => row !== 1).map(splitRow);
}
