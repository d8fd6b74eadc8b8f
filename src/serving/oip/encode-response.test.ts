import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../../registry/types.js';
import type { DecodedTensor } from '../types.js';
import { encodeInferResponse, serializeInferResponse } from './encode-response.js';
import type { InferResponseArgs } from './encode-response.js';
import { parseInferRequest } from './parse-request.js';
import { inferenceResponseSchema } from './schemas.js';

const validateResponse = new Ajv({ allErrors: true, strict: true }).compile(
  inferenceResponseSchema,
);

function respond(...outputs: DecodedTensor[]): InferResponseArgs {
  return { model: 'mymodel', version: '1', id: '42', outputs };
}

function tensor(datatype: DecodedTensor['datatype'], data: DecodedTensor['data']): DecodedTensor {
  return { name: 'y', datatype, shape: [data.length], data };
}

/** One output of each datatype, as a runtime hands them back. */
const EVERY_DATATYPE: [DecodedTensor, unknown[]][] = [
  [tensor('BOOL', new Uint8Array([1, 0])), [true, false]],
  [tensor('UINT8', new Uint8Array([0, 255])), [0, 255]],
  [tensor('UINT16', new Uint16Array([7])), [7]],
  [tensor('UINT32', new Uint32Array([4294967295])), [4294967295]],
  [tensor('UINT64', new BigUint64Array([2n ** 53n - 1n])), [2 ** 53 - 1]],
  [tensor('INT8', new Int8Array([-128])), [-128]],
  [tensor('INT16', new Int16Array([-2])), [-2]],
  [tensor('INT32', new Int32Array([-(2 ** 31)])), [-(2 ** 31)]],
  [tensor('INT64', new BigInt64Array([-(2n ** 53n - 1n), 0n])), [-(2 ** 53 - 1), 0]],
  [tensor('FP16', new Uint16Array([0x3c00, 0xc100])), [1, -2.5]],
  [tensor('FP32', new Float32Array([0.5, 1.1])), [0.5, Math.fround(1.1)]],
  [tensor('FP64', new Float64Array([0.1, -0])), [0.1, -0]],
  [tensor('BYTES', ['a', '"quoted"']), ['a', '"quoted"']],
];

describe('encodeInferResponse', () => {
  it('encodes the spec example response: output0, FP32 [3, 2]', () => {
    const output0: DecodedTensor = {
      name: 'output0',
      datatype: 'FP32',
      shape: [3, 2],
      data: new Float32Array([1.0, 1.1, 2.0, 2.1, 3.0, 3.1]),
    };
    const body = encodeInferResponse(respond(output0));
    expect(body).toEqual({
      model_name: 'mymodel',
      model_version: '1',
      id: '42',
      outputs: [
        {
          name: 'output0',
          datatype: 'FP32',
          shape: [3, 2],
          data: [1, 1.1, 2, 2.1, 3, 3.1].map(Math.fround),
        },
      ],
    });
    expect(validateResponse(body), JSON.stringify(validateResponse.errors)).toBe(true);
  });

  const cases = EVERY_DATATYPE.map(
    ([output, expected]) => [output.datatype, output, expected] as const,
  );
  it.each(cases)('encodes %s data as JSON values', (_datatype, output, expected) => {
    const body = encodeInferResponse(respond(output));
    expect(body.outputs[0]?.data).toEqual(expected);
    expect(validateResponse(body), JSON.stringify(validateResponse.errors)).toBe(true);
  });

  it('includes response and output parameters only when given', () => {
    const output = { ...tensor('FP32', new Float32Array([1])), parameters: { unit: 'cm' } };
    const body = encodeInferResponse({ ...respond(output), parameters: { batched: true } });
    expect(body.parameters).toEqual({ batched: true });
    expect(body.outputs[0]?.parameters).toEqual({ unit: 'cm' });
    expect(encodeInferResponse(respond(tensor('FP32', new Float32Array([1]))))).not.toHaveProperty(
      'parameters',
    );
    expect(validateResponse(body)).toBe(true);
  });

  it.each([
    [
      tensor('FP32', new Float32Array([1, NaN])),
      'output "y": data[1] is NaN, which JSON cannot carry',
    ],
    [
      tensor('FP64', new Float64Array([-Infinity])),
      'output "y": data[0] is -Infinity, which JSON cannot carry',
    ],
    [
      tensor('FP16', new Uint16Array([0x7c00])),
      'output "y": data[0] is Infinity, which JSON cannot carry',
    ],
  ])('answers 500 for output JSON cannot carry', (output, message) => {
    expect(() => encodeInferResponse(respond(output))).toThrow(message);
    expect(() => serializeInferResponse(respond(output))).toThrow(message);
  });

  it('refuses a 64-bit integer beyond 2^53 as a number, which would lose digits', () => {
    const output = tensor('INT64', new BigInt64Array([2n ** 53n + 1n]));
    expect(() => encodeInferResponse(respond(output))).toThrow(
      'output "y": data[0] is 9007199254740993, beyond the integers a JSON number carries exactly',
    );
  });
});

describe('serializeInferResponse', () => {
  it('writes the same JSON as JSON.stringify(encodeInferResponse(...)) for every datatype', () => {
    const args = {
      ...respond(...EVERY_DATATYPE.map(([output]) => output)),
      parameters: { a: 'b' },
    };
    expect(serializeInferResponse(args)).toBe(JSON.stringify(encodeInferResponse(args)));
  });

  it('writes the same JSON as JSON.stringify for any float output', () => {
    const floats = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 20 });
    fc.assert(
      fc.property(floats, fc.string(), (values, name) => {
        const output = { ...tensor('FP32', Float32Array.from(values)), name };
        const args = { ...respond(output), id: name };
        expect(serializeInferResponse(args)).toBe(JSON.stringify(encodeInferResponse(args)));
      }),
    );
  });

  it('writes 64-bit integers beyond 2^53 with all their digits', () => {
    const output = tensor('INT64', new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n)]));
    expect(serializeInferResponse(respond(output))).toContain(
      '"data":[9223372036854775807,-9223372036854775808]',
    );
  });
});

describe('INT64 round trip', () => {
  const signature: ModelSignature = {
    inputs: [{ name: 'ids', datatype: 'INT64', shape: [-1] }],
    outputs: [{ name: 'ids', datatype: 'INT64', shape: [-1] }],
  };

  it('returns the integers a request sent, through BigInt64Array, exactly', () => {
    const sent = [-(2 ** 53 - 1), -1, 0, 1, 2 ** 32, 2 ** 53 - 1];
    const body = { inputs: [{ name: 'ids', shape: [sent.length], datatype: 'INT64', data: sent }] };
    const request = parseInferRequest(body, signature, { model: 'echo' });
    expect(request.inputs[0]?.data).toEqual(BigInt64Array.from(sent.map(BigInt)));
    const args = { model: 'echo', version: '1', id: request.id, outputs: request.inputs };
    expect(encodeInferResponse(args).outputs[0]?.data).toEqual(sent);
    const parsed = JSON.parse(serializeInferResponse(args)) as { outputs: { data: number[] }[] };
    expect(parsed.outputs[0]?.data).toEqual(sent);
  });
});
