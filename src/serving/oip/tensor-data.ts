/**
 * Turns an input's JSON `data` into a flat, row-major typed array. The spec lets data be flat or
 * nested to match the shape; flat data (what clients mostly send) takes one tight loop, nested
 * data one walk over its arrays without recursion, then the same loop over the innermost rows.
 */
import type { OipDatatype, TensorData } from '../types.js';
import { codecOf } from './datatypes.js';
import type { DatatypeCodec } from './datatypes.js';
import { describeJsonValue, formatShape, OipError } from './oip-error.js';

/**
 * Decodes `data` for a tensor of `shape` holding `count` (= product of shape) elements.
 *
 * @throws OipError 400 naming the input and the first element or array that does not fit.
 */
export function decodeTensorData(
  input: string,
  datatype: OipDatatype,
  shape: readonly number[],
  count: number,
  data: readonly unknown[],
): TensorData {
  const codec = codecOf(datatype);
  if (shape.length >= 2 && data.length > 0 && Array.isArray(data[0])) {
    return decodeNested(input, datatype, codec, shape, data);
  }
  if (data.length !== count) {
    const expected = `${countElements(count)} for shape ${formatShape(shape)}`;
    throw new OipError(400, `input "${input}": expected ${expected}, got ${data.length}`);
  }
  const decoded = codec.allocate(count);
  const invalid = codec.fill(decoded, 0, data, count);
  if (invalid >= 0) throw invalidElement(input, datatype, codec, `data[${invalid}]`, data[invalid]);
  return decoded;
}

function decodeNested(
  input: string,
  datatype: OipDatatype,
  codec: DatatypeCodec,
  shape: readonly number[],
  data: readonly unknown[],
): TensorData {
  const rows = collectRows(input, shape, data);
  const width = shape[shape.length - 1] ?? 0;
  const decoded = codec.allocate(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[];
    const invalid = codec.fill(decoded, r * width, row, width);
    if (invalid >= 0) {
      throw invalidElement(
        input,
        datatype,
        codec,
        nestedPath(r * width + invalid, shape),
        row[invalid],
      );
    }
  }
  return decoded;
}

/**
 * The innermost arrays of nested `data`, in row-major order, after checking that every array
 * has exactly the length its dimension says. A depth-first walk with an explicit stack.
 */
function collectRows(
  input: string,
  shape: readonly number[],
  data: readonly unknown[],
): unknown[][] {
  if (data.length !== shape[0]) throw wrongLength(input, shape, 'data', data.length, 0);
  const innermost = shape.length - 1;
  const rows: unknown[][] = [];
  const arrays: (readonly unknown[])[] = [data];
  // Per open array, the index of the next child to visit.
  const next: number[] = [0];
  while (arrays.length > 0) {
    const depth = arrays.length - 1;
    const array = arrays[depth] as readonly unknown[];
    const i = next[depth] as number;
    if (i === array.length) {
      arrays.pop();
      next.pop();
      continue;
    }
    next[depth] = i + 1;
    const child = array[i];
    const childDimension = depth + 1;
    const expected = shape[childDimension] as number;
    if (!Array.isArray(child) || child.length !== expected) {
      const path = `data${next.map((n) => `[${n - 1}]`).join('')}`;
      if (!Array.isArray(child)) {
        const message = `${path} must be an array of ${countElements(expected)} for shape ${formatShape(shape)}`;
        throw new OipError(400, `input "${input}": ${message}, got ${describeJsonValue(child)}`);
      }
      throw wrongLength(input, shape, path, child.length, childDimension);
    }
    if (childDimension === innermost) rows.push(child);
    else {
      arrays.push(child);
      next.push(0);
    }
  }
  return rows;
}

function wrongLength(
  input: string,
  shape: readonly number[],
  path: string,
  length: number,
  dimension: number,
): OipError {
  const expected = `${shape[dimension]} for shape ${formatShape(shape)}`;
  return new OipError(
    400,
    `input "${input}": ${path} has ${countElements(length)}, expected ${expected}`,
  );
}

function invalidElement(
  input: string,
  datatype: OipDatatype,
  codec: DatatypeCodec,
  path: string,
  value: unknown,
): OipError {
  const message = `${path} must be ${codec.expected} for ${datatype}, got ${describeJsonValue(value)}`;
  return new OipError(400, `input "${input}": ${message}`);
}

/** `data[1][2]`: where flat index `index` sits in nested data of `shape`. */
function nestedPath(index: number, shape: readonly number[]): string {
  const indices: number[] = [];
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    indices.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return `data${indices.map((i) => `[${i}]`).join('')}`;
}

function countElements(count: number): string {
  return count === 1 ? '1 element' : `${count} elements`;
}
