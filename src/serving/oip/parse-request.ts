/**
 * Reads an Open Inference Protocol v2 inference request body and checks it against the model's
 * signature, so a runtime only ever sees inputs it can feed to the model as they are.
 */
import { randomUUID } from 'node:crypto';
import type { ModelSignature } from '../../registry/types.js';
import { suggestClosest } from '../../core/suggest.js';
import type { DecodedTensor, InferRequest, OipDatatype } from '../types.js';
import { describeJsonValue, OipError } from './oip-error.js';
import {
  checkInputAgainstSpec,
  isJsonObject,
  readParameters,
  readRequestInput,
} from './request-input.js';
import type { RequestInput } from './request-input.js';
import { indexSignature } from './signature-index.js';
import type { SignatureIndex } from './signature-index.js';
import { decodeTensorData } from './tensor-data.js';

export interface ParseOptions {
  /** The model's name, for messages. */
  model: string;
  /** Most tensor elements one request may carry, all inputs together; more is a 413. */
  maxElements?: number;
  /** The request's id when the body has none (e.g. the HTTP request id); else a random UUID. */
  defaultId?: string;
}

/**
 * The request in `body` (parsed JSON), its inputs decoded into typed arrays in the order of the
 * model's signature. Every input the model takes must be given exactly once; an empty `outputs`
 * list means all outputs, as an absent one does. Per-output `parameters` are not kept.
 *
 * @throws OipError 400 naming the field or input at fault, 413 over `maxElements`, 500 when the
 * model declares a datatype the server cannot decode.
 */
export function parseInferRequest(
  body: unknown,
  signature: ModelSignature,
  options: ParseOptions,
): InferRequest {
  if (!isJsonObject(body)) {
    throw new OipError(400, `request body must be a JSON object, got ${describeJsonValue(body)}`);
  }
  const index = indexSignature(signature);
  const { id } = body;
  if (id !== undefined && typeof id !== 'string') {
    throw new OipError(400, `"id" must be a string, got ${describeJsonValue(id)}`);
  }
  const parameters = readParameters(body.parameters, '"parameters"');
  const inputs = readInputs(body.inputs, signature, index, options);
  const outputs = readRequestedOutputs(body.outputs, index, options.model);
  return {
    id: id ?? options.defaultId ?? randomUUID(),
    ...(parameters && { parameters }),
    inputs,
    ...(outputs && { outputs }),
  };
}

interface CheckedInput {
  input: RequestInput;
  datatype: OipDatatype;
  count: number;
}

function readInputs(
  value: unknown,
  signature: ModelSignature,
  index: SignatureIndex,
  options: ParseOptions,
): DecodedTensor[] {
  if (!Array.isArray(value)) {
    throw new OipError(
      400,
      `"inputs" must be an array of tensors, got ${describeJsonValue(value)}`,
    );
  }
  // By signature position, so runtimes get inputs in the model's order whatever the client's.
  const checked = new Array<CheckedInput | undefined>(signature.inputs.length);
  let total = 0;
  for (let i = 0; i < value.length; i++) {
    const input = readRequestInput(value[i], i);
    const position = index.inputPositions.get(input.name);
    if (position === undefined) {
      throw unknownTensor('input', input.name, index.inputNames, options.model);
    }
    if (checked[position] !== undefined) {
      throw new OipError(400, `input "${input.name}" is given more than once`);
    }
    const { datatype, count } = checkInputAgainstSpec(
      input,
      signature.inputs[position]!,
      options.model,
    );
    checked[position] = { input, datatype, count };
    total += count;
  }
  // Each given input filled its own slot, so fewer inputs than slots means some are missing.
  if (value.length < checked.length) throw missingInputs(index, checked, options.model);
  if (options.maxElements !== undefined && total > options.maxElements) {
    const message = `request has ${total} tensor elements, over this server's limit of ${options.maxElements}`;
    throw new OipError(413, message);
  }
  return (checked as CheckedInput[]).map(decodeInput);
}

function decodeInput({ input, datatype, count }: CheckedInput): DecodedTensor {
  const { name, shape, parameters } = input;
  const data = decodeTensorData(name, datatype, shape, count, input.data);
  return parameters ? { name, datatype, shape, data, parameters } : { name, datatype, shape, data };
}

function readRequestedOutputs(
  value: unknown,
  index: SignatureIndex,
  model: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new OipError(400, `"outputs" must be an array, got ${describeJsonValue(value)}`);
  }
  const names: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isJsonObject(item) || typeof item.name !== 'string') {
      throw new OipError(
        400,
        `outputs[${i}] must be an object with a string "name", got ${describeJsonValue(item)}`,
      );
    }
    readParameters(item.parameters, `output "${item.name}": parameters`);
    if (!index.outputNames.includes(item.name)) {
      throw unknownTensor('output', item.name, index.outputNames, model);
    }
    if (!names.includes(item.name)) names.push(item.name);
  }
  return names.length > 0 ? names : undefined;
}

const LISTED_NAMES = 10;

function unknownTensor(
  kind: 'input' | 'output',
  name: string,
  known: readonly string[],
  model: string,
): OipError {
  const closest = suggestClosest(name, known);
  const listed = known.slice(0, LISTED_NAMES).map((n) => `"${n}"`);
  if (known.length > LISTED_NAMES) listed.push('…');
  const hint =
    closest !== undefined
      ? ` (did you mean "${closest}"?)`
      : `; its ${kind}s are ${listed.join(', ')}`;
  return new OipError(400, `model "${model}" has no ${kind} "${name}"${hint}`);
}

function missingInputs(index: SignatureIndex, given: readonly unknown[], model: string): OipError {
  const missing = index.inputNames
    .filter((_, position) => given[position] === undefined)
    .map((n) => `"${n}"`);
  const noun = missing.length === 1 ? 'input' : 'inputs';
  return new OipError(400, `missing ${noun} ${missing.join(', ')} for model "${model}"`);
}
