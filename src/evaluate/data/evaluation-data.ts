import { WeftError } from '../../core/errors.js';
import type { ResolvedEvaluation } from '../../spec/types.js';
import { suggestClosest } from '../../core/suggest.js';
import type { Table } from './read-table.js';

/** The dataset as the evaluation needs it: numeric feature columns, labels and groups as text. */
export interface EvaluationData {
  path: string;
  rows: number;
  features: string[];
  /** One per feature, in `features` order. */
  columns: Float32Array[];
  /** The label of each row as text (classification) or number (regression), decided later. */
  labels: readonly unknown[];
  /** Sensitive attribute -> its value in each row, as text. */
  groups: Map<string, string[]>;
}

/**
 * Checks the columns the evaluation names against the dataset and converts the features to
 * numbers. Every problem names the dataset, the column and the row (1-based, header excluded).
 */
export function prepareEvaluationData(
  table: Table,
  evaluation: ResolvedEvaluation,
): EvaluationData {
  if (table.rows === 0) throw invalid(`dataset ${table.path} has no rows`);
  const named = [evaluation.label, ...(evaluation.features ?? []), ...evaluation.sensitive];
  for (const column of named) requireColumn(table, column);
  const excluded = new Set([evaluation.label, ...evaluation.sensitive]);
  const features = evaluation.features ?? table.columns.filter((c) => !excluded.has(c));
  if (features.length === 0) throw invalid(`dataset ${table.path} has no feature columns`);
  const groups = new Map(
    evaluation.sensitive.map((attribute) => [attribute, groupValues(table, attribute)]),
  );
  return {
    path: table.path,
    rows: table.rows,
    features,
    columns: features.map((feature) => numericColumn(table, feature)),
    labels: columnOf(table, evaluation.label),
    groups,
  };
}

function requireColumn(table: Table, column: string): void {
  if (table.values.has(column)) return;
  const hint = suggestClosest(column, table.columns);
  throw invalid(
    `dataset ${table.path} has no column "${column}"${hint ? `; did you mean "${hint}"?` : ''} (columns: ${table.columns.join(', ')})`,
  );
}

function numericColumn(table: Table, column: string): Float32Array {
  const values = columnOf(table, column);
  const out = new Float32Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const value = toNumber(values[row]);
    if (!Number.isFinite(value)) throw badCell(table, column, row, values[row], 'a number');
    out[row] = value;
  }
  return out;
}

/** Text, booleans and bigints as the file holds them; empty cells and nulls become NaN. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

function groupValues(table: Table, attribute: string): string[] {
  const values = columnOf(table, attribute);
  return values.map((value, row) => {
    const text = toText(value).trim();
    if (text === '') throw badCell(table, attribute, row, value, 'a group value');
    return text;
  });
}

function columnOf(table: Table, column: string): readonly unknown[] {
  return table.values.get(column) ?? [];
}

export function badCell(
  table: { path: string },
  column: string,
  row: number,
  value: unknown,
  expected: string,
): WeftError {
  const found = toText(value).trim() === '' ? 'an empty value' : JSON.stringify(toText(value));
  return invalid(
    `dataset ${table.path}, column "${column}", row ${row + 1}: expected ${expected}, found ${found}`,
  );
}

function invalid(message: string): WeftError {
  return new WeftError('DATASET_INVALID', message);
}
