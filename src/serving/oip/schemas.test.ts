import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { errorBody, modelMetadata, serverMetadata } from './metadata.js';
import { OipError } from './oip-error.js';
import { OIP_SCHEMAS } from './schemas.js';
import type { OipSchemaName } from './schemas.js';

const ajv = new Ajv({ allErrors: true, strict: true });

function isValid(name: OipSchemaName, body: unknown): boolean {
  return ajv.validate(OIP_SCHEMAS[name], body);
}

describe('OIP schemas', () => {
  it('compile in strict mode', () => {
    for (const schema of Object.values(OIP_SCHEMAS))
      expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('accept the spec example request, flat or nested, and refuse one without inputs', () => {
    const request = {
      id: '42',
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true] },
      ],
      outputs: [{ name: 'output0' }],
    };
    expect(isValid('inference_request', request)).toBe(true);
    const nested = {
      inputs: [
        {
          name: 'a',
          shape: [2, 2],
          datatype: 'FP32',
          data: [
            [1, 2],
            [3, 4],
          ],
        },
      ],
    };
    expect(isValid('inference_request', nested)).toBe(true);
    expect(isValid('inference_request', { id: '42' })).toBe(false);
    const nullData = { inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [null] }] };
    expect(isValid('inference_request', nullData)).toBe(false);
  });

  it('refuse a response with a key the protocol does not define', () => {
    expect(isValid('inference_response', { model_name: 'm', outputs: [], modelVersion: '1' })).toBe(
      false,
    );
  });
});

describe('metadata and error bodies', () => {
  it('server metadata validates', () => {
    const body = serverMetadata({
      name: 'weft',
      version: '0.2.0',
      extensions: ['model_repository'],
    });
    expect(body).toEqual({ name: 'weft', version: '0.2.0', extensions: ['model_repository'] });
    expect(isValid('metadata_server_response', body)).toBe(true);
    expect(
      isValid('metadata_server_response', serverMetadata({ name: 'weft', version: '1' })),
    ).toBe(true);
  });

  it('model metadata lists versions, platform and tensors with -1 for open dimensions', () => {
    const body = modelMetadata({
      name: 'penguins',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      signature: {
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [{ name: 'zipmap', datatype: 'UNKNOWN', shape: [] }],
      },
      properties: { digest: 'sha256:ab' },
    });
    expect(body).toEqual({
      name: 'penguins',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'zipmap', datatype: 'UNKNOWN', shape: [] }],
      properties: { digest: 'sha256:ab' },
    });
    expect(isValid('metadata_model_response', body), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('an OipError becomes an error body', () => {
    const body = errorBody(new OipError(404, 'model "x" is not loaded').message);
    expect(body).toEqual({ error: 'model "x" is not loaded' });
    expect(isValid('error_response', body)).toBe(true);
    expect(isValid('error_response', { message: 'x' })).toBe(false);
  });
});
