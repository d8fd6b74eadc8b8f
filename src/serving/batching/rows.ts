/**
 * Joins the inputs of several requests into one batch along dimension 0, and splits the batch's
 * outputs back per request. Tensor data is row-major, so each request's rows are one contiguous
 * run of elements: joining copies once, splitting makes views (typed arrays) or slices (BYTES).
 */
import { WeftError } from '../../core/errors.js';
import type { DecodedTensor, TensorData } from '../types.js';

type NumericData = Exclude<TensorData, string[]>;

/**
 * What requests must share to run in one batch: input names, datatypes and every dimension after
 * the first. Requests with different layouts cannot be joined; a server that accepts open
 * trailing dimensions keeps one batcher per layout.
 */
export function rowLayoutOf(inputs: readonly DecodedTensor[]): string {
  const layout = inputs
    .map((tensor): [string, string, number[]] => [
      tensor.name,
      tensor.datatype,
      tensor.shape.slice(1),
    ])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(layout);
}

/**
 * The rows of one request: dimension 0, which all its inputs must share.
 *
 * @throws WeftError USAGE when an input is a scalar or the inputs disagree on dimension 0.
 */
export function countRows(inputs: readonly DecodedTensor[]): number {
  const [first, ...rest] = inputs;
  if (!first) throw batchError('the request has no inputs');
  const rows = rowsOf(first);
  const other = rest.find((tensor) => rowsOf(tensor) !== rows);
  if (other) {
    throw batchError(
      `inputs ${first.name} and ${other.name} disagree on dimension 0 (${rows} vs ${rowsOf(other)} rows)`,
    );
  }
  return rows;
}

/**
 * Joins requests along dimension 0. Inputs come out in the first request's order, with its
 * tensor parameters; later requests may list their inputs in any order.
 *
 * @throws WeftError USAGE when there are no requests, or they differ in layout (see
 * rowLayoutOf), or a tensor's data does not fill its shape.
 */
export function concatRows(requests: readonly DecodedTensor[][]): DecodedTensor[] {
  const [first] = requests;
  if (!first) throw batchError('there are no requests to join');
  const layout = rowLayoutOf(first);
  requests.forEach((inputs, index) => {
    countRows(inputs);
    inputs.forEach(checkFilled);
    if (new Set(inputs.map((tensor) => tensor.name)).size !== inputs.length) {
      throw batchError(`request ${index} names an input twice`);
    }
    if (rowLayoutOf(inputs) !== layout) {
      throw batchError(
        `request ${index} has inputs ${describeLayout(inputs)} but request 0 has ${describeLayout(first)}`,
      );
    }
  });
  if (requests.length === 1) return first;
  const byName = requests.map((inputs) => new Map(inputs.map((input) => [input.name, input])));
  return first.map((tensor) => {
    // Every request has this input: the layouts matched above.
    const parts = byName.map((inputs) => inputs.get(tensor.name) as DecodedTensor);
    const rows = parts.reduce((sum, part) => sum + rowsOf(part), 0);
    const data = concatData(parts.map((part) => part.data));
    return { ...tensor, shape: [rows, ...tensor.shape.slice(1)], data };
  });
}

/**
 * Splits a batch's outputs back into one list per request, `rowCounts[i]` rows for request i.
 *
 * @throws WeftError MODEL_INVALID when an output does not have one row per input row.
 */
export function splitRows(
  outputs: readonly DecodedTensor[],
  rowCounts: readonly number[],
): DecodedTensor[][] {
  const total = rowCounts.reduce((sum, rows) => sum + rows, 0);
  for (const output of outputs) {
    if (output.shape[0] !== total || output.data.length !== product(output.shape)) {
      throw new WeftError(
        'MODEL_INVALID',
        `failed to split batch outputs: output ${output.name} has shape [${output.shape.join(', ')}] and ${output.data.length} elements; a batch of ${total} rows needs ${total} rows out (does the model batch along dimension 0?)`,
      );
    }
  }
  let firstRow = 0;
  return rowCounts.map((rows) => {
    const request = outputs.map((output) => sliceRows(output, firstRow, rows));
    firstRow += rows;
    return request;
  });
}

function sliceRows(tensor: DecodedTensor, firstRow: number, rows: number): DecodedTensor {
  const rowSize = product(tensor.shape.slice(1));
  const [begin, end] = [firstRow * rowSize, (firstRow + rows) * rowSize];
  const data = Array.isArray(tensor.data)
    ? tensor.data.slice(begin, end)
    : tensor.data.subarray(begin, end);
  return { ...tensor, shape: [rows, ...tensor.shape.slice(1)], data };
}

function concatData(parts: TensorData[]): TensorData {
  const [first] = parts;
  if (!first || parts.some((part) => part.constructor !== first.constructor)) {
    throw batchError('requests carry the same datatype in different array types');
  }
  if (Array.isArray(first)) return (parts as string[][]).flat();
  const Typed = first.constructor as new (length: number) => NumericData;
  const joined = new Typed(parts.reduce((sum, part) => sum + part.length, 0));
  // Every part has joined's array type (checked above), so set() copies like for like.
  const copyInto = joined as unknown as { set(source: NumericData, offset: number): void };
  let offset = 0;
  for (const part of parts as NumericData[]) {
    copyInto.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function rowsOf(tensor: DecodedTensor): number {
  const rows = tensor.shape[0];
  if (rows === undefined) throw batchError(`input ${tensor.name} is a scalar; it has no rows`);
  return rows;
}

function checkFilled(tensor: DecodedTensor): void {
  const expected = product(tensor.shape);
  if (tensor.data.length !== expected) {
    throw batchError(
      `input ${tensor.name} has ${tensor.data.length} elements but shape [${tensor.shape.join(', ')}] holds ${expected}`,
    );
  }
}

function describeLayout(inputs: readonly DecodedTensor[]): string {
  const describe = (tensor: DecodedTensor) =>
    `${tensor.name} ${tensor.datatype} [n${tensor.shape
      .slice(1)
      .map((dim) => `, ${dim}`)
      .join('')}]`;
  return inputs.map(describe).join(', ');
}

const product = (dims: readonly number[]) => dims.reduce((size, dim) => size * dim, 1);

const batchError = (problem: string) =>
  new WeftError('USAGE', `failed to batch requests: ${problem}`);
