import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../../registry/types.js';
import { OipError } from './oip-error.js';
import { parseInferRequest } from './parse-request.js';

const penguins: ModelSignature = {
  inputs: [
    { name: 'features', datatype: 'FP32', shape: [-1, 4] },
    { name: 'island', datatype: 'UINT8', shape: [-1] },
  ],
  outputs: [
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
    { name: 'label', datatype: 'INT64', shape: [-1] },
  ],
};

const options = { model: 'penguins' };

function validRequest(): Record<string, unknown> & { inputs: Record<string, unknown>[] } {
  return {
    id: '7',
    inputs: [
      { name: 'features', shape: [1, 4], datatype: 'FP32', data: [39.1, 18.7, 181, 3750] },
      { name: 'island', shape: [1], datatype: 'UINT8', data: [2] },
    ],
  };
}

/** The request with its first input's fields replaced. */
function withFeatures(fields: Record<string, unknown>): unknown {
  const request = validRequest();
  request.inputs[0] = { ...request.inputs[0], ...fields };
  return request;
}

function parseError(body: unknown, signature = penguins, maxElements?: number): OipError {
  try {
    parseInferRequest(body, signature, { ...options, maxElements });
  } catch (error) {
    if (error instanceof OipError) return error;
    throw error;
  }
  throw new Error('expected parseInferRequest to throw');
}

describe('parseInferRequest: the spec example', () => {
  // inference_rest.md's example, against a model with the tensors it names.
  const example: ModelSignature = {
    inputs: [
      { name: 'input0', datatype: 'UINT32', shape: [2, 2] },
      { name: 'input1', datatype: 'BOOL', shape: [3] },
    ],
    outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2] }],
  };
  const request = (input1Data: boolean[]) => ({
    id: '42',
    inputs: [
      { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
      { name: 'input1', shape: [3], datatype: 'BOOL', data: input1Data },
    ],
    outputs: [{ name: 'output0' }],
  });

  it('rejects the example as printed: input1 has shape [3] but one element', () => {
    const error = parseError(request([true]), example);
    expect(error.status).toBe(400);
    expect(error.message).toBe('input "input1": expected 3 elements for shape [3], got 1');
  });

  it('decodes the example once input1 has the three elements its shape says', () => {
    const parsed = parseInferRequest(request([true, false, true]), example, { model: 'mymodel' });
    expect(parsed).toEqual({
      id: '42',
      inputs: [
        { name: 'input0', datatype: 'UINT32', shape: [2, 2], data: new Uint32Array([1, 2, 3, 4]) },
        { name: 'input1', datatype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) },
      ],
      outputs: ['output0'],
    });
  });
});

describe('parseInferRequest: valid requests', () => {
  it('returns inputs in the signature order, whatever order the client used', () => {
    const request = validRequest();
    request.inputs.reverse();
    const parsed = parseInferRequest(request, penguins, options);
    expect(parsed.inputs.map((t) => t.name)).toEqual(['features', 'island']);
    expect(parsed.inputs[0]?.data).toEqual(new Float32Array([39.1, 18.7, 181, 3750]));
    expect(parsed.inputs[1]?.data).toEqual(new Uint8Array([2]));
  });

  it('takes the id from the body, else defaultId, else a random UUID', () => {
    const { inputs } = validRequest();
    expect(parseInferRequest(validRequest(), penguins, { ...options, defaultId: 'req-1' }).id).toBe(
      '7',
    );
    expect(parseInferRequest({ inputs }, penguins, { ...options, defaultId: 'req-1' }).id).toBe(
      'req-1',
    );
    expect(parseInferRequest({ inputs }, penguins, options).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps request and input parameters', () => {
    const request = { ...validRequest(), parameters: { content_type: 'np' } };
    request.inputs[1] = { ...request.inputs[1], parameters: { note: 1 } };
    const parsed = parseInferRequest(request, penguins, options);
    expect(parsed.parameters).toEqual({ content_type: 'np' });
    expect(parsed.inputs[1]?.parameters).toEqual({ note: 1 });
    expect(parsed.inputs[0]).not.toHaveProperty('parameters');
  });

  it('reads requested outputs, dropping repeats; an empty list means all outputs', () => {
    const request = {
      ...validRequest(),
      outputs: [{ name: 'label' }, { name: 'label', parameters: {} }],
    };
    expect(parseInferRequest(request, penguins, options).outputs).toEqual(['label']);
    expect(
      parseInferRequest({ ...validRequest(), outputs: [] }, penguins, options).outputs,
    ).toBeUndefined();
    expect(parseInferRequest(validRequest(), penguins, options)).not.toHaveProperty('outputs');
  });

  it('accepts a batch dimension of any size, zero included', () => {
    const parsed = parseInferRequest(withFeatures({ shape: [0, 4], data: [] }), penguins, options);
    expect(parsed.inputs[0]?.data).toEqual(new Float32Array(0));
  });

  it('accepts nested data matching the shape', () => {
    const data = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ];
    const parsed = parseInferRequest(withFeatures({ shape: [2, 4], data }), penguins, options);
    expect(parsed.inputs[0]?.data).toEqual(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('accepts up to maxElements tensor elements', () => {
    expect(() =>
      parseInferRequest(validRequest(), penguins, { ...options, maxElements: 5 }),
    ).not.toThrow();
  });
});

describe('parseInferRequest: bad requests', () => {
  it.each([
    ['body is an array', [], 'request body must be a JSON object, got an array'],
    ['body is null', null, 'request body must be a JSON object, got null'],
    ['inputs missing', { id: '1' }, '"inputs" must be an array of tensors, got nothing'],
    ['inputs not an array', { inputs: {} }, '"inputs" must be an array of tensors, got an object'],
    ['id not a string', { ...validRequest(), id: 42 }, '"id" must be a string, got 42'],
    [
      'parameters not an object',
      { ...validRequest(), parameters: [] },
      '"parameters" must be an object, got an array',
    ],
    ['input not an object', { inputs: [1] }, 'inputs[0] must be an object, got 1'],
    [
      'input without a name',
      withFeatures({ name: undefined }),
      'inputs[0].name must be a string, got nothing',
    ],
    [
      'negative dimension',
      withFeatures({ shape: [1, -4] }),
      'input "features": shape must be an array of non-negative integers, got [1, -4]',
    ],
    [
      'shape not an array',
      withFeatures({ shape: '1,4' }),
      'input "features": shape must be an array of non-negative integers, got "1,4"',
    ],
    [
      'datatype missing',
      withFeatures({ datatype: undefined }),
      'input "features": datatype must be a string, got nothing',
    ],
    [
      'data not an array',
      withFeatures({ data: 'abc' }),
      'input "features": data must be an array, got "abc"',
    ],
    [
      'input parameters not an object',
      withFeatures({ parameters: 'x' }),
      'input "features": parameters must be an object, got "x"',
    ],
    [
      'unknown input close to a known one',
      withFeatures({ name: 'featurs' }),
      'model "penguins" has no input "featurs" (did you mean "features"?)',
    ],
    [
      'unknown input',
      withFeatures({ name: 'bill' }),
      'model "penguins" has no input "bill"; its inputs are "features", "island"',
    ],
    [
      'missing input',
      { inputs: [validRequest().inputs[0]] },
      'missing input "island" for model "penguins"',
    ],
    ['missing inputs', { inputs: [] }, 'missing inputs "features", "island" for model "penguins"'],
    [
      'input given twice',
      { inputs: [...validRequest().inputs, validRequest().inputs[1]] },
      'input "island" is given more than once',
    ],
    [
      'wrong datatype',
      withFeatures({ datatype: 'FP64' }),
      'input "features": expected datatype FP32, got "FP64"',
    ],
    [
      'wrong rank',
      withFeatures({ shape: [4] }),
      'input "features": expected shape [-1, 4] (rank 2), got [4]',
    ],
    [
      'fixed dimension mismatch',
      withFeatures({ shape: [1, 3], data: [1, 2, 3] }),
      'input "features": expected shape [-1, 4], got [1, 3] (dimension 1 must be 4)',
    ],
    [
      'element count mismatch',
      withFeatures({ data: [1, 2, 3] }),
      'input "features": expected 4 elements for shape [1, 4], got 3',
    ],
    [
      'nested data with a short row',
      withFeatures({
        shape: [2, 4],
        data: [
          [1, 2, 3, 4],
          [1, 2, 3],
        ],
      }),
      'input "features": data[1] has 3 elements, expected 4 for shape [2, 4]',
    ],
    [
      'nested data with too few rows',
      withFeatures({ shape: [2, 4], data: [[1, 2, 3, 4]] }),
      'input "features": data has 1 element, expected 2 for shape [2, 4]',
    ],
    [
      'nested data with a number for a row',
      withFeatures({ shape: [2, 4], data: [[1, 2, 3, 4], 5] }),
      'input "features": data[1] must be an array of 4 elements for shape [2, 4], got 5',
    ],
    [
      'a string in FP32 data',
      withFeatures({ data: [1, '2', 3, 4] }),
      'input "features": data[1] must be a number within the FP32 range (±3.4e38) for FP32, got "2"',
    ],
    [
      'the string "NaN" in FP32 data',
      withFeatures({ data: [1, 2, 'NaN', 4] }),
      'input "features": data[2] must be a number within the FP32 range (±3.4e38) for FP32, got "NaN"',
    ],
    [
      'null in nested FP32 data',
      withFeatures({ data: [[1, 2, null, 4]] }),
      'input "features": data[0][2] must be a number within the FP32 range (±3.4e38) for FP32, got null',
    ],
    [
      'a number beyond the FP32 range',
      withFeatures({ data: [1, 2, 3, 1e39] }),
      'input "features": data[3] must be a number within the FP32 range (±3.4e38) for FP32, got 1e+39',
    ],
    [
      'an array where FP32 data needs a number',
      withFeatures({ data: [1, 2, 3, [4]] }),
      'input "features": data[3] must be a number within the FP32 range (±3.4e38) for FP32, got an array',
    ],
    [
      'requested outputs not an array',
      { ...validRequest(), outputs: 'label' },
      '"outputs" must be an array, got "label"',
    ],
    [
      'requested output without a name',
      { ...validRequest(), outputs: [{}] },
      'outputs[0] must be an object with a string "name", got an object',
    ],
    [
      'unknown requested output',
      { ...validRequest(), outputs: [{ name: 'labels' }] },
      'model "penguins" has no output "labels" (did you mean "label"?)',
    ],
  ])('%s -> 400', (_case, body, message) => {
    const error = parseError(body);
    expect({ status: error.status, message: error.message }).toEqual({ status: 400, message });
  });

  it('answers 413 when the request carries more elements than maxElements', () => {
    const error = parseError(validRequest(), penguins, 4);
    expect({ status: error.status, message: error.message }).toEqual({
      status: 413,
      message: "request has 5 tensor elements, over this server's limit of 4",
    });
  });

  it('answers 500 when the model declares a datatype the server cannot decode', () => {
    const odd: ModelSignature = {
      inputs: [{ name: 'x', datatype: 'UNKNOWN', shape: [] }],
      outputs: [],
    };
    const error = parseError(
      { inputs: [{ name: 'x', shape: [], datatype: 'UNKNOWN', data: [1] }] },
      odd,
    );
    expect(error.status).toBe(500);
    expect(error.message).toBe(
      'model "penguins" declares input "x" as UNKNOWN, which this server cannot decode',
    );
  });
});
