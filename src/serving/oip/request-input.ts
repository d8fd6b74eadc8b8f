/**
 * One entry of an inference request's `inputs`: its JSON shape first, then the model's
 * signature (datatype, rank, fixed dimensions).
 */
import type { TensorSpec } from '../../registry/types.js';
import type { OipDatatype } from '../types.js';
import { isOipDatatype } from './datatypes.js';
import { describeJsonValue, formatShape, OipError } from './oip-error.js';

/** An input as the request wrote it, structurally checked but not yet decoded. */
export interface RequestInput {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
  parameters?: Record<string, unknown>;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @throws OipError 400 when `field` is present but not an object. */
export function readParameters(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || isJsonObject(value)) return value;
  throw new OipError(400, `${field} must be an object, got ${describeJsonValue(value)}`);
}

export function readRequestInput(item: unknown, position: number): RequestInput {
  if (!isJsonObject(item)) {
    throw new OipError(
      400,
      `inputs[${position}] must be an object, got ${describeJsonValue(item)}`,
    );
  }
  const { name, shape, datatype, data } = item;
  if (typeof name !== 'string') {
    throw new OipError(
      400,
      `inputs[${position}].name must be a string, got ${describeJsonValue(name)}`,
    );
  }
  const at = `input "${name}"`;
  if (!isShape(shape)) {
    const shown = Array.isArray(shape) ? formatShape(shape) : describeJsonValue(shape);
    throw new OipError(400, `${at}: shape must be an array of non-negative integers, got ${shown}`);
  }
  if (typeof datatype !== 'string') {
    throw new OipError(400, `${at}: datatype must be a string, got ${describeJsonValue(datatype)}`);
  }
  if (!Array.isArray(data)) {
    throw new OipError(400, `${at}: data must be an array, got ${describeJsonValue(data)}`);
  }
  const parameters = readParameters(item.parameters, `${at}: parameters`);
  return { name, shape, datatype, data, ...(parameters && { parameters }) };
}

function isShape(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (const dimension of value) {
    if (!Number.isSafeInteger(dimension) || (dimension as number) < 0) return false;
  }
  return true;
}

/**
 * Checks `input` against what the model declares and returns its datatype and element count.
 *
 * @throws OipError 400 on a datatype, rank or fixed-dimension mismatch; 500 when the model
 * declares a datatype this server cannot decode.
 */
export function checkInputAgainstSpec(
  input: RequestInput,
  spec: TensorSpec,
  model: string,
): { datatype: OipDatatype; count: number } {
  const at = `input "${input.name}"`;
  if (input.datatype !== spec.datatype) {
    throw new OipError(
      400,
      `${at}: expected datatype ${spec.datatype}, got ${describeJsonValue(input.datatype)}`,
    );
  }
  if (!isOipDatatype(spec.datatype)) {
    const message = `model "${model}" declares ${at} as ${spec.datatype}, which this server cannot decode`;
    throw new OipError(500, message);
  }
  if (input.shape.length !== spec.shape.length) {
    throw shapeMismatch(at, spec, ` (rank ${spec.shape.length}), got ${formatShape(input.shape)}`);
  }
  let count = 1;
  for (let d = 0; d < spec.shape.length; d++) {
    const size = input.shape[d] as number;
    const declared = spec.shape[d] as number;
    if (declared >= 0 && size !== declared) {
      throw shapeMismatch(
        at,
        spec,
        `, got ${formatShape(input.shape)} (dimension ${d} must be ${declared})`,
      );
    }
    count *= size;
  }
  return { datatype: spec.datatype, count };
}

function shapeMismatch(at: string, spec: TensorSpec, detail: string): OipError {
  return new OipError(400, `${at}: expected shape ${formatShape(spec.shape)}${detail}`);
}
