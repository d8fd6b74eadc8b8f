import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import { readCsv, readTable, splitUnquoted } from './read-table.js';
import { prepareEvaluationData } from './evaluation-data.js';

const cell = fc.stringMatching(/^[^",\r\n]*$/);

describe('reading CSV', () => {
  it('splits unquoted CSV exactly as the general parser reads it', () => {
    const lineBreak = fc.constantFrom('\n', '\r\n');
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1 });
    fc.assert(
      fc.property(table, lineBreak, fc.boolean(), (rows, eol, bom) => {
        const text = (bom ? '\uFEFF' : '') + rows.map((r) => r.join(',')).join(eol) + eol;
        const bytes = Buffer.from(text);
        const expected: string[][] = parse(bytes, {
          skip_empty_lines: true,
          bom: true,
          relax_column_count: true,
        });
        expect(splitUnquoted(bytes)).toEqual(expected);
      }),
    );
  });

  it('reads quoted fields with commas and line breaks through the general parser', () => {
    const table = readCsv(Buffer.from('a,b\n"x, y","line\nbreak"\n1,2\n'), 'data.csv');
    expect(table.columns).toEqual(['a', 'b']);
    expect(table.rows).toBe(2);
    expect(table.values.get('a')).toEqual(['x, y', '1']);
    expect(table.values.get('b')).toEqual(['line\nbreak', '2']);
  });

  it('names a row with more or fewer fields than the header', () => {
    expect(() => readCsv(Buffer.from('a,b\n1,2\n3\n'), 'data.csv')).toThrow(
      'dataset data.csv, row 2: 1 fields where the header has 2',
    );
  });

  it('names a column that appears twice', () => {
    let error: unknown;
    try {
      readCsv(Buffer.from('a,b,a\n1,2,3\n'), 'data.csv');
    } catch (caught) {
      error = caught;
    }
    expect(isWeftError(error, 'DATASET_INVALID')).toBe(true);
    expect(String(error)).toContain('dataset data.csv has column "a" twice');
  });
});

describe('reading Parquet', () => {
  it('reads typed columns a Parquet writer wrote, ready for evaluation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-parquet-'));
    try {
      const bytes = parquetWriteBuffer({
        columnData: [
          { name: 'x', data: Float64Array.from([0.5, 1.5, 2.5]), type: 'DOUBLE' },
          { name: 'n', data: [1n, 2n, 3n], type: 'INT64' },
          { name: 'label', data: ['no', 'yes', 'no'], type: 'STRING' },
          { name: 'sex', data: ['f', 'm', null], type: 'STRING', nullable: true },
        ],
      });
      await writeFile(join(dir, 'data.parquet'), new Uint8Array(bytes));
      const table = await readTable(join(dir, 'data.parquet'), 'data/eval.parquet');
      expect(table.columns).toEqual(['x', 'n', 'label', 'sex']);
      expect(table.rows).toBe(3);
      const evaluation = {
        dataset: 'data/eval.parquet',
        label: 'label',
        features: ['x', 'n'],
        sensitive: [],
        importance: null,
        bootstrap: { samples: 0, level: 0.95, seed: 0 },
      };
      const data = prepareEvaluationData(table, evaluation);
      expect(data.columns).toEqual([
        Float32Array.from([0.5, 1.5, 2.5]),
        Float32Array.from([1, 2, 3]),
      ]);
      expect(data.labels).toEqual(['no', 'yes', 'no']);
      expect(() => prepareEvaluationData(table, { ...evaluation, sensitive: ['sex'] })).toThrow(
        'dataset data/eval.parquet, column "sex", row 3: expected a group value, found an empty value',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
