/**
 * Reads the JSON an ml.js model serialises to. Exporters take either the trained model object or
 * its `toJSON()` output and work on the plain JSON only, so weft never needs ml.js at run time;
 * every shape is checked here, and a wrong one fails with the path of the offending value.
 */
import { describeError, WeftError } from '../core/errors.js';

export type JsonObject = Record<string, unknown>;

/** A trained model object (ml.js models have `toJSON()`), or that method's output. */
export type ModelOrJson = object;

export interface ModelJsonReader {
  /** The error to throw for a model or option this exporter cannot use. */
  fail(problem: string): WeftError;
  object(value: unknown, path: string): JsonObject;
  array(value: unknown, path: string): unknown[];
  number(value: unknown, path: string): number;
  /** A non-negative integer: a count, a column or a class index. */
  index(value: unknown, path: string): number;
  /** A rectangular, non-empty array of rows of finite numbers. */
  matrix(value: unknown, path: string): number[][];
}

/** A reader whose errors read "failed to export <kind> to ONNX: <problem>". */
export function modelJsonReader(kind: string): ModelJsonReader {
  const fail = (problem: string) =>
    new WeftError('USAGE', `failed to export ${kind} to ONNX: ${problem}`);
  const reader: ModelJsonReader = {
    fail,
    object(value, path) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return value as JsonObject;
      }
      throw fail(`${path} is ${describeValue(value)}, expected an object`);
    },
    array(value, path) {
      if (Array.isArray(value)) return value as unknown[];
      throw fail(`${path} is ${describeValue(value)}, expected an array`);
    },
    number(value, path) {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw fail(`${path} is ${describeValue(value)}, expected a finite number`);
    },
    index(value, path) {
      if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
      throw fail(`${path} is ${describeValue(value)}, expected an integer >= 0`);
    },
    matrix(value, path) {
      const rows = reader.array(value, path).map((row, i) => reader.array(row, `${path}[${i}]`));
      const width = rows[0]?.length ?? 0;
      if (width === 0) throw fail(`${path} is empty`);
      return rows.map((row, i) => {
        if (row.length !== width)
          throw fail(`${path}[${i}] has ${row.length} values, not ${width}`);
        return row.map((v, j) => reader.number(v, `${path}[${i}][${j}]`));
      });
    },
  };
  return reader;
}

/**
 * The model as plain JSON: `toJSON()` is applied all the way down (ml-matrix objects become
 * arrays of rows), and `name` must be one of `names`, the names ml.js gives this family.
 */
export function readModelJson(
  reader: ModelJsonReader,
  model: ModelOrJson,
  names: readonly string[],
): JsonObject {
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(model)) as unknown;
  } catch (error) {
    throw reader.fail(`the model does not serialise to JSON (${describeError(error)})`);
  }
  const object = reader.object(json, 'the model');
  if (typeof object.name !== 'string' || !names.includes(object.name)) {
    const expected = names.map((n) => JSON.stringify(n)).join(' or ');
    throw reader.fail(
      `the model's name is ${describeValue(object.name)}, expected ${expected}; pass the trained ml.js model or its toJSON() output`,
    );
  }
  return object;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
