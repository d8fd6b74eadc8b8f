import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../core/errors.js';
import type { DecodedTensor, OipDatatype, TensorData } from '../types.js';
import { concatRows, countRows, rowLayoutOf, splitRows } from './rows.js';

const elements: Record<string, (length: number) => fc.Arbitrary<TensorData>> = {
  FP32: (length) => fc.float32Array({ minLength: length, maxLength: length }),
  FP64: (length) => fc.float64Array({ minLength: length, maxLength: length }),
  FP16: (length) => fc.uint16Array({ minLength: length, maxLength: length }),
  INT32: (length) => fc.int32Array({ minLength: length, maxLength: length }),
  INT64: (length) => fc.bigInt64Array({ minLength: length, maxLength: length }),
  BOOL: (length) => fc.uint8Array({ minLength: length, maxLength: length, max: 1 }),
  BYTES: (length) => fc.array(fc.string(), { minLength: length, maxLength: length }),
};

interface InputLayout {
  name: string;
  datatype: string;
  trailing: number[];
}

const layouts = fc.uniqueArray(
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 4 }),
    datatype: fc.constantFrom(...Object.keys(elements)),
    trailing: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
  }),
  { minLength: 1, maxLength: 3, selector: (input) => input.name },
);

function tensorOf(input: InputLayout, rows: number): fc.Arbitrary<DecodedTensor> {
  const shape = [rows, ...input.trailing];
  const length = shape.reduce((size, dim) => size * dim, 1);
  return (elements[input.datatype] ?? elements.FP32!)(length).map((data) => ({
    name: input.name,
    datatype: input.datatype as OipDatatype,
    shape,
    data,
  }));
}

/** Requests of one layout, each with its own number of rows (0 to 4). */
const batches = layouts.chain((layout) =>
  fc
    .array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 })
    .chain((rowCounts) =>
      fc
        .tuple(
          ...rowCounts.map((rows) => fc.tuple(...layout.map((input) => tensorOf(input, rows)))),
        )
        .map((requests) => ({ rowCounts, requests })),
    ),
);

const valuesOf = (data: TensorData): unknown[] => Array.from(data as ArrayLike<unknown>);

const tensor = (name: string, shape: number[], data: TensorData, datatype: OipDatatype = 'FP32') =>
  ({ name, datatype, shape, data }) satisfies DecodedTensor;

describe('concatRows and splitRows', () => {
  it('split(concat(requests)) gives back every request', () => {
    fc.assert(
      fc.property(batches, ({ rowCounts, requests }) => {
        expect(splitRows(concatRows(requests), rowCounts)).toEqual(requests);
      }),
    );
  });

  it('joins each input along dimension 0, request after request', () => {
    fc.assert(
      fc.property(batches, ({ rowCounts, requests }) => {
        const joined = concatRows(requests);
        const total = rowCounts.reduce((sum, rows) => sum + rows, 0);
        joined.forEach((input, i) => {
          expect(input.shape[0]).toBe(total);
          expect(valuesOf(input.data)).toEqual(
            requests.flatMap((inputs) => valuesOf(inputs[i]?.data ?? [])),
          );
        });
      }),
    );
  });

  it('splits typed arrays into views of the batch output, without copying', () => {
    const batch = new Float32Array(10).map((_, i) => i);
    const output = tensor('y', [5, 2], batch);
    const [first, second] = splitRows([output], [2, 3]);
    expect(first?.[0]).toEqual(tensor('y', [2, 2], new Float32Array([0, 1, 2, 3])));
    expect(second?.[0]?.shape).toEqual([3, 2]);
    expect((second?.[0]?.data as Float32Array).buffer).toBe(batch.buffer);
  });

  it('takes inputs by name from requests that list them in another order', () => {
    const a = (rows: number[]) => tensor('a', [rows.length], new Float64Array(rows), 'FP64');
    const b = (words: string[]) => tensor('b', [words.length], words, 'BYTES');
    const joined = concatRows([
      [a([1]), b(['one'])],
      [b(['two', 'three']), a([2, 3])],
    ]);
    expect(joined).toEqual([a([1, 2, 3]), b(['one', 'two', 'three'])]);
  });
});

describe('rejecting requests that cannot share a batch', () => {
  const x = (shape: number[], datatype: OipDatatype = 'FP32') =>
    tensor('x', shape, new Float32Array(shape.reduce((size, dim) => size * dim, 1)), datatype);

  it.each([
    [
      'another input name',
      [tensor('z', [1, 2], new Float32Array(2))],
      'request 1 has inputs z FP32 [n, 2] but request 0 has x FP32 [n, 2]',
    ],
    ['another datatype', [x([1, 2], 'FP64')], 'request 1 has inputs x FP64 [n, 2]'],
    ['other trailing dims', [x([1, 3])], 'request 1 has inputs x FP32 [n, 3]'],
    [
      'data that does not fill its shape',
      [tensor('x', [1, 2], new Float32Array(3))],
      'input x has 3 elements but shape [1, 2] holds 2',
    ],
    [
      'another array type for the datatype',
      [tensor('x', [1, 2], new Float64Array(2))],
      'same datatype in different array types',
    ],
    ['a scalar input', [tensor('x', [], new Float32Array(1))], 'input x is a scalar'],
    ['an input named twice', [x([1, 2]), x([1, 2])], 'request 1 names an input twice'],
  ])('with %s', (_case, second, message) => {
    expect(() => concatRows([[x([1, 2])], second])).toThrow(message);
  });

  it('when there are no requests', () => {
    expect(() => concatRows([])).toThrow('failed to batch requests: there are no requests to join');
  });

  it('when the inputs of one request disagree on dimension 0', () => {
    const inputs = [x([2, 1]), tensor('y', [3], new Float32Array(3))];
    expect(() => countRows(inputs)).toThrow('inputs x and y disagree on dimension 0 (2 vs 3 rows)');
  });

  it('when an output does not have one row per input row', () => {
    const error = (() => {
      try {
        splitRows([x([4])], [2, 3]);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(isWeftError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toContain(
      'output x has shape [4] and 4 elements; a batch of 5 rows',
    );
  });

  it('keys layouts by name, not by the order inputs are listed in', () => {
    const y = tensor('y', [1], ['a'], 'BYTES');
    expect(rowLayoutOf([x([1, 2]), y])).toBe(rowLayoutOf([y, x([5, 2])]));
    expect(rowLayoutOf([x([1, 2])])).not.toBe(rowLayoutOf([x([1, 3])]));
  });
});
