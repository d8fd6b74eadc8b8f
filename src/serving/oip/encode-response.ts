/**
 * Writes inference results as the OIP v2 response body: flat, row-major `data` as JSON numbers,
 * booleans or strings, whatever typed array the runtime produced.
 */
import type { DecodedTensor } from '../types.js';
import { fromHalfBits } from './fp16.js';
import { OipError } from './oip-error.js';

export interface InferResponseArgs {
  model: string;
  version: string;
  id: string;
  parameters?: Record<string, unknown>;
  outputs: readonly DecodedTensor[];
}

export type JsonElement = number | boolean | string;

export interface ResponseOutput {
  name: string;
  datatype: string;
  shape: number[];
  data: JsonElement[];
  parameters?: Record<string, unknown>;
}

export interface InferResponseBody {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: Record<string, unknown>;
  outputs: ResponseOutput[];
}

/**
 * The response as a plain object. 64-bit integers become numbers, so one beyond 2^53 is an error
 * here; serializeInferResponse writes those exactly.
 *
 * @throws OipError 500 when an output holds NaN or ±Infinity, which JSON has no numbers for.
 */
export function encodeInferResponse(args: InferResponseArgs): InferResponseBody {
  return {
    model_name: args.model,
    model_version: args.version,
    id: args.id,
    ...(args.parameters && { parameters: args.parameters }),
    outputs: args.outputs.map((tensor) => ({
      name: tensor.name,
      datatype: tensor.datatype,
      shape: tensor.shape,
      data: encodeTensorData(tensor),
      ...(tensor.parameters && { parameters: tensor.parameters }),
    })),
  };
}

/** `tensor.data` as JSON values, one per element. */
export function encodeTensorData(tensor: DecodedTensor): JsonElement[] {
  const { data } = tensor;
  switch (tensor.datatype) {
    case 'BOOL':
      return Array.from(data as Uint8Array, (value) => value !== 0);
    case 'FP16':
      return checkFinite(tensor.name, Array.from(data as Uint16Array, fromHalfBits));
    case 'INT64':
    case 'UINT64':
      return Array.from(data as BigInt64Array, (value, index) =>
        toSafeNumber(tensor.name, value, index),
      );
    case 'BYTES':
      return (data as string[]).slice();
    case 'FP32':
    case 'FP64':
      return checkFinite(tensor.name, Array.from(data as Float64Array));
    default:
      return Array.from(data as Int32Array);
  }
}

/**
 * The response's JSON text, equal to `JSON.stringify(encodeInferResponse(args))` except that
 * 64-bit integers are written with all their digits. Writes numeric data with one `join` per
 * tensor instead of building an array of numbers first.
 *
 * @throws OipError 500 when an output holds NaN or ±Infinity.
 */
export function serializeInferResponse(args: InferResponseArgs): string {
  let json = `{"model_name":${JSON.stringify(args.model)}`;
  json += `,"model_version":${JSON.stringify(args.version)},"id":${JSON.stringify(args.id)}`;
  if (args.parameters) json += `,"parameters":${JSON.stringify(args.parameters)}`;
  json += ',"outputs":[';
  for (let i = 0; i < args.outputs.length; i++) {
    const tensor = args.outputs[i]!;
    if (i > 0) json += ',';
    json += `{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}"`;
    json += `,"shape":[${tensor.shape.join(',')}],"data":${serializeTensorData(tensor)}`;
    if (tensor.parameters) json += `,"parameters":${JSON.stringify(tensor.parameters)}`;
    json += '}';
  }
  return json + ']}';
}

function serializeTensorData(tensor: DecodedTensor): string {
  switch (tensor.datatype) {
    case 'BOOL':
    case 'FP16':
    case 'BYTES':
      return JSON.stringify(encodeTensorData(tensor));
    case 'FP32':
    case 'FP64':
      checkFinite(tensor.name, tensor.data as Float64Array);
      return `[${(tensor.data as Float64Array).join(',')}]`;
    default:
      // Integer arrays, BigInt ones included, print as exact decimal digits.
      return `[${(tensor.data as Int32Array).join(',')}]`;
  }
}

function checkFinite<T extends ArrayLike<number>>(output: string, data: T): T {
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    // x - x is 0 for every finite number and NaN for NaN and ±Infinity.
    if (value - value !== 0) {
      throw new OipError(
        500,
        `output "${output}": data[${i}] is ${value}, which JSON cannot carry`,
      );
    }
  }
  return data;
}

function toSafeNumber(output: string, value: bigint, index: number): number {
  const number = Number(value);
  if (Number.isSafeInteger(number)) return number;
  const problem = `is ${value}, beyond the integers a JSON number carries exactly`;
  throw new OipError(500, `output "${output}": data[${index}] ${problem}`);
}
