import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OipDatatype, TensorData } from '../types.js';
import { OipError } from './oip-error.js';
import { decodeTensorData } from './tensor-data.js';

function decode(datatype: OipDatatype, data: unknown[], shape = [data.length]): TensorData {
  const count = shape.reduce((a, b) => a * b, 1);
  return decodeTensorData('x', datatype, shape, count, data);
}

function decodeError(datatype: OipDatatype, data: unknown[]): string {
  try {
    decode(datatype, data);
  } catch (error) {
    if (error instanceof OipError && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('expected decodeTensorData to throw');
}

describe('decodeTensorData: datatypes', () => {
  it.each<[OipDatatype, unknown[], TensorData]>([
    ['BOOL', [true, false], new Uint8Array([1, 0])],
    ['UINT8', [0, 255], new Uint8Array([0, 255])],
    ['UINT16', [0, 65535], new Uint16Array([0, 65535])],
    ['UINT32', [0, 4294967295], new Uint32Array([0, 4294967295])],
    ['UINT64', [0, 2 ** 53 - 1], new BigUint64Array([0n, 2n ** 53n - 1n])],
    ['INT8', [-128, 127], new Int8Array([-128, 127])],
    ['INT16', [-32768, 32767], new Int16Array([-32768, 32767])],
    ['INT32', [-(2 ** 31), 2 ** 31 - 1], new Int32Array([-(2 ** 31), 2 ** 31 - 1])],
    [
      'INT64',
      [-(2 ** 53 - 1), 2 ** 53 - 1],
      new BigInt64Array([-(2n ** 53n - 1n), 2n ** 53n - 1n]),
    ],
    ['FP16', [0.1, -2.5], new Uint16Array([0x2e66, 0xc100])],
    ['FP32', [0.1, -3.4e38], new Float32Array([0.1, -3.4e38])],
    ['FP64', [0.1, 1e300], new Float64Array([0.1, 1e300])],
    ['BYTES', ['a', ''], ['a', '']],
  ])('decodes %s into its typed array', (datatype, data, expected) => {
    expect(decode(datatype, data)).toEqual(expected);
  });

  it.each<[OipDatatype, unknown, string]>([
    ['INT8', 128, 'an integer from -128 to 127 for INT8, got 128'],
    ['INT8', -129, 'an integer from -128 to 127 for INT8, got -129'],
    ['UINT8', -1, 'an integer from 0 to 255 for UINT8, got -1'],
    ['UINT8', 256, 'an integer from 0 to 255 for UINT8, got 256'],
    ['UINT8', 1.5, 'an integer from 0 to 255 for UINT8, got 1.5'],
    ['UINT32', 2 ** 32, 'an integer from 0 to 4294967295 for UINT32, got 4294967296'],
    ['INT32', '7', 'an integer from -2147483648 to 2147483647 for INT32, got "7"'],
    [
      'INT64',
      2 ** 53,
      'an integer from -9007199254740991 to 9007199254740991 (JSON numbers carry no more digits) for INT64, got 9007199254740992',
    ],
    [
      'UINT64',
      -1,
      'an integer from 0 to 9007199254740991 (JSON numbers carry no more digits) for UINT64, got -1',
    ],
    ['FP16', 70000, 'a number from -65504 to 65504 for FP16, got 70000'],
    ['FP64', null, 'a number for FP64, got null'],
    ['FP64', 'Infinity', 'a number for FP64, got "Infinity"'],
    ['BOOL', 1, 'true or false for BOOL, got 1'],
    ['BOOL', 'true', 'true or false for BOOL, got "true"'],
    ['BYTES', 5, 'a string for BYTES, got 5'],
  ])('rejects a bad %s element %s', (datatype, value, expected) => {
    expect(decodeError(datatype, [value])).toBe(`input "x": data[0] must be ${expected}`);
  });

  it('treats a rank-0 tensor as one element', () => {
    expect(decode('FP32', [2.5], [])).toEqual(new Float32Array([2.5]));
  });

  it('accepts nested data around empty dimensions', () => {
    expect(decode('INT32', [[], []], [2, 0])).toEqual(new Int32Array(0));
    expect(decode('INT32', [[[]], [[]]], [2, 1, 0])).toEqual(new Int32Array(0));
  });

  it('rejects data nested deeper than the shape', () => {
    const message = () => decode('INT32', [[[1]], [[2]]], [2, 1]);
    expect(message).toThrow(
      'input "x": data[0][0] must be an integer from -2147483648 to 2147483647 for INT32, got an array',
    );
  });
});

/** A shape of rank 2-4 with small dimensions, and that many elements. */
const tensorOf = <T>(element: fc.Arbitrary<T>) =>
  fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 4 }).chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      flat: fc.array(element, {
        minLength: shape.reduce((a, b) => a * b, 1),
        maxLength: shape.reduce((a, b) => a * b, 1),
      }),
    }),
  );

/** `flat` written as arrays nested to match `shape`. */
function nest(flat: readonly unknown[], shape: readonly number[]): unknown[] {
  const [size = 0, ...rest] = shape;
  if (rest.length === 0) return [...flat];
  const stride = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: size }, (_, i) =>
    nest(flat.slice(i * stride, (i + 1) * stride), rest),
  );
}

describe('decodeTensorData: nested and flat data', () => {
  it('decodes a tensor of any shape to the same array, written nested or flat', () => {
    const element = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(tensorOf(element), ({ shape, flat }) => {
        const fromFlat = decode('FP64', flat, shape);
        expect(decode('FP64', nest(flat, shape), shape)).toEqual(fromFlat);
        expect(fromFlat).toEqual(Float64Array.from(flat));
      }),
    );
  });

  it('rejects nested data with one row shortened', () => {
    const nonEmpty = tensorOf(fc.integer({ min: -100, max: 100 })).filter(
      ({ flat }) => flat.length > 0,
    );
    fc.assert(
      fc.property(nonEmpty, ({ shape, flat }) => {
        const nested = nest(flat, shape);
        let row = nested;
        while (Array.isArray(row[0])) row = row[0] as unknown[];
        row.pop();
        expect(() => decode('INT32', nested, shape)).toThrow(
          /input "x": data(\[0\])+ has \d+ elements?, expected/,
        );
      }),
    );
  });
});
