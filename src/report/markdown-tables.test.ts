import { describe, expect, it } from 'vitest';
import { bold, escapeMarkdown, inlineCode, renderTable } from './markdown-tables.js';
import { splitRow } from './markdown.testing.js';

describe('renderTable', () => {
  it('writes a header, an aligned delimiter row and one line per row', () => {
    const table = renderTable(
      [{ header: 'Name' }, { header: 'Value', align: 'right' }, { header: 'Ok', align: 'center' }],
      [['a', '1', 'yes']],
    );
    expect(table).toBe('| Name | Value | Ok |\n|---|---:|:---:|\n| a | 1 | yes |');
  });

  it('keeps a row to its columns whatever pipes, breaks or HTML a cell holds', () => {
    const table = renderTable([{ header: 'a|b' }, { header: 'c' }], [['x | y\nz', '<img src=x>']]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => splitRow(line).length)).toEqual([2, 2, 2]);
    expect(lines[2]).toBe('| x \\| y z | &lt;img src=x&gt; |');
  });

  it('passes trusted Markdown through unescaped', () => {
    expect(renderTable([{ header: 'h' }], [[bold('a_b')]])).toContain('| **a\\_b** |');
  });
});

describe('escapeMarkdown', () => {
  it('escapes emphasis, code, links and entities so text shows as written', () => {
    expect(escapeMarkdown('*a* _b_ `c` [d](e) ~f~ &lt; \\')).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\~f\\~ &amp;lt; \\\\',
    );
  });
});

describe('inlineCode', () => {
  it('fences text with more backticks than it contains, padding a leading or trailing one', () => {
    expect(inlineCode('data/test.csv')).toBe('`data/test.csv`');
    expect(inlineCode('a ``b`` c')).toBe('```a ``b`` c```');
    expect(inlineCode('`x')).toBe('`` `x ``');
    expect(inlineCode('a\nb')).toBe('`a b`');
  });
});
