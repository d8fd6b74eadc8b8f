import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodedTensor, OipDatatype, TensorData } from '../../types.js';
import { encodeInferRequest, parseInferResponse } from './infer-json.js';

/** What an echoing runtime answers: the request's inputs as its outputs. */
function echo(inputs: DecodedTensor[]): string {
  const request = JSON.parse(encodeInferRequest({ id: 'e', inputs })) as { inputs: unknown[] };
  return JSON.stringify({ model_name: 'echo', outputs: request.inputs });
}

function tensorsOf<T>(
  datatype: OipDatatype,
  element: fc.Arbitrary<T>,
  pack: (values: T[]) => TensorData,
): fc.Arbitrary<DecodedTensor> {
  return fc
    .array(element)
    .map((values) => ({ name: datatype, datatype, shape: [values.length], data: pack(values) }));
}

const tensors = fc.oneof(
  tensorsOf('INT32', fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => Int32Array.from(v)),
  tensorsOf('INT64', fc.maxSafeInteger(), (values) => BigInt64Array.from(values, BigInt)),
  // JSON has no -0 (it reads back as 0), so the round trip starts from 0.
  tensorsOf(
    'FP32',
    fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0),
    (v) => Float32Array.from(v),
  ),
  tensorsOf('BOOL', fc.boolean(), (values) => Uint8Array.from(values, Number)),
  tensorsOf('BYTES', fc.string(), (values) => values),
);

describe('encodeInferRequest and parseInferResponse', () => {
  it('round-trip tensors of every kind through JSON unchanged', () => {
    fc.assert(
      fc.property(fc.array(tensors, { maxLength: 4 }), (inputs) => {
        expect(parseInferResponse(echo(inputs))).toEqual({ outputs: inputs });
      }),
    );
  });

  it('writes BOOL as booleans, INT64 as numbers and names the outputs asked for', () => {
    const body = encodeInferRequest({
      id: '7',
      inputs: [
        { name: 'b', datatype: 'BOOL', shape: [2], data: Uint8Array.of(1, 0) },
        { name: 'n', datatype: 'INT64', shape: [1, 2], data: BigInt64Array.of(-3n, 4n) },
      ],
      outputs: ['y'],
    });
    expect(JSON.parse(body)).toEqual({
      id: '7',
      inputs: [
        { name: 'b', datatype: 'BOOL', shape: [2], data: [true, false] },
        { name: 'n', datatype: 'INT64', shape: [1, 2], data: [-3, 4] },
      ],
      outputs: [{ name: 'y' }],
    });
  });

  it('reads nested data and keeps output parameters', () => {
    const body = JSON.stringify({
      outputs: [
        {
          name: 'y',
          datatype: 'FP64',
          shape: [2, 2],
          data: [
            [1, 2],
            [3, 4],
          ],
          parameters: { unit: 'cm' },
        },
      ],
    });
    expect(parseInferResponse(body)).toEqual({
      outputs: [
        {
          name: 'y',
          datatype: 'FP64',
          shape: [2, 2],
          data: Float64Array.of(1, 2, 3, 4),
          parameters: { unit: 'cm' },
        },
      ],
    });
  });

  it.each([
    ['not json', 'the body is not JSON'],
    ['{"error":"boom"}', 'the body has no `outputs` array'],
    [
      '{"outputs":[{"datatype":"FP32","shape":[1],"data":[1]}]}',
      'outputs[0]: `name` is not a string',
    ],
    [
      '{"outputs":[{"name":"y","datatype":"FP8","shape":[1],"data":[1]}]}',
      'outputs[0]: `datatype` "FP8" is not an OIP datatype',
    ],
    [
      '{"outputs":[{"name":"y","datatype":"FP32","shape":[-1],"data":[]}]}',
      'outputs[0]: `shape` is not a list of non-negative integers',
    ],
    [
      '{"outputs":[{"name":"y","datatype":"FP32","shape":[1],"data":1}]}',
      'outputs[0]: `data` is not an array',
    ],
  ])('says what is wrong with %s', (body, problem) => {
    expect(parseInferResponse(body)).toEqual({ problem });
  });

  it('names the output whose data does not fit its shape or datatype', () => {
    const wrongCount = '{"outputs":[{"name":"y","datatype":"INT8","shape":[3],"data":[1,2]}]}';
    const wrongType = '{"outputs":[{"name":"y","datatype":"INT8","shape":[1],"data":[300]}]}';
    expect(parseInferResponse(wrongCount)).toEqual({
      problem: expect.stringMatching(/^outputs\[0\]: output "y": expected 3 elements/) as string,
    });
    expect(parseInferResponse(wrongType)).toEqual({
      problem: expect.stringMatching(
        /^outputs\[0\]: output "y": data\[0\] must be an integer/,
      ) as string,
    });
  });
});
