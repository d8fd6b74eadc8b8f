/**
 * The OIP v2 inference request and response as JSON on the wire to an external process, using
 * the server's own OIP codec so a tensor reads and writes the same way on both hops. Pure: the
 * HTTP side lives in forward-infer.ts.
 */
import { encodeTensorData } from '../../oip/encode-response.js';
import { isOipDatatype } from '../../oip/datatypes.js';
import { decodeTensorData } from '../../oip/tensor-data.js';
import type { DecodedTensor, InferRequest } from '../../types.js';

/** The request body for `POST .../infer`. */
export function encodeInferRequest(request: InferRequest): string {
  return JSON.stringify({
    id: request.id,
    parameters: request.parameters,
    inputs: request.inputs.map((tensor) => ({
      name: tensor.name,
      datatype: tensor.datatype,
      shape: tensor.shape,
      parameters: tensor.parameters,
      data: encodeTensorData(tensor),
    })),
    outputs: request.outputs?.map((name) => ({ name })),
  });
}

export type ParsedInferResponse = { outputs: DecodedTensor[] } | { problem: string };

/** The outputs of an inference response body, or what is wrong with it. */
export function parseInferResponse(body: string): ParsedInferResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'the body is not JSON' };
  }
  const outputs = (json as { outputs?: unknown } | null)?.outputs;
  if (!Array.isArray(outputs)) return { problem: 'the body has no `outputs` array' };
  const decoded: DecodedTensor[] = [];
  for (const [index, output] of outputs.entries()) {
    const tensor = decodeOutput(output);
    if (typeof tensor === 'string') return { problem: `outputs[${index}]: ${tensor}` };
    decoded.push(tensor);
  }
  return { outputs: decoded };
}

/** One response output as a tensor, or what is wrong with it. */
function decodeOutput(output: unknown): DecodedTensor | string {
  const { name, datatype, shape, data, parameters } = (output ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string') return '`name` is not a string';
  if (typeof datatype !== 'string' || !isOipDatatype(datatype)) {
    return `\`datatype\` ${JSON.stringify(datatype)} is not an OIP datatype`;
  }
  if (!isShape(shape)) return '`shape` is not a list of non-negative integers';
  if (!Array.isArray(data)) return '`data` is not an array';
  const count = shape.reduce((product, size) => product * size, 1);
  let tensor: DecodedTensor;
  try {
    tensor = { name, datatype, shape, data: decodeTensorData(name, datatype, shape, count, data) };
  } catch (error) {
    // The codec words its messages for request inputs; here the tensor is an output.
    return (error as Error).message.replace(/^input /, 'output ');
  }
  if (isRecord(parameters)) tensor.parameters = parameters;
  return tensor;
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((size) => Number.isInteger(size) && size >= 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
