import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { describeError, WeftError } from '../../core/errors.js';

/** A dataset read column by column: values as the file holds them (text for CSV). */
export interface Table {
  /** Repo-relative, for messages. */
  path: string;
  columns: string[];
  rows: number;
  values: Map<string, readonly unknown[]>;
}

/** Reads a CSV (header line first) or a Parquet file (by its `.parquet` extension). */
export async function readTable(file: string, path: string): Promise<Table> {
  try {
    return extname(path).toLowerCase() === '.parquet'
      ? await readParquet(file, path)
      : readCsv(await readFile(file), path);
  } catch (error) {
    if (error instanceof WeftError) throw error;
    const notFound = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new WeftError(
      'DATASET_INVALID',
      notFound
        ? `failed to read dataset ${path}: no such file (is it an output of a stage? run weft run first)`
        : `failed to read dataset ${path}: ${describeError(error)}`,
      { cause: error },
    );
  }
}

export function readCsv(bytes: Buffer, path: string): Table {
  const records = bytes.includes(QUOTE) ? parseQuoted(bytes) : splitUnquoted(bytes);
  const [header, ...data] = records;
  if (header === undefined) throw new WeftError('DATASET_INVALID', `dataset ${path} is empty`);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw new WeftError('DATASET_INVALID', `dataset ${path} has column "${name}" twice`);
    }
    seen.add(name);
  }
  const ragged = data.findIndex((row) => row.length !== header.length);
  if (ragged >= 0) {
    throw new WeftError(
      'DATASET_INVALID',
      `dataset ${path}, row ${ragged + 1}: ${data[ragged]?.length} fields where the header has ${header.length}`,
    );
  }
  const values = new Map(header.map((name, j) => [name, data.map((row) => row[j] ?? '')]));
  return { path, columns: header, rows: data.length, values };
}

const QUOTE = 0x22;

function parseQuoted(bytes: Buffer): string[][] {
  return parse(bytes, { skip_empty_lines: true, bom: true });
}

/**
 * Without a single `"` in the file, RFC 4180 reduces to lines and commas, and splitting is
 * several times faster than the general parser: evaluation datasets are mostly numbers.
 */
export function splitUnquoted(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return text
    .split(/\r?\n|\r/)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

async function readParquet(file: string, path: string): Promise<Table> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const rows = await new Promise<unknown[][]>((resolve, reject) => {
    parquetRead({ file: buffer, metadata, columns, onComplete: resolve }).catch(reject);
  });
  const values = new Map(columns.map((name, j) => [name, rows.map((row) => row[j])]));
  return { path, columns, rows: rows.length, values };
}
