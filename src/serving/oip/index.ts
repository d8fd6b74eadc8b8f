/** The Open Inference Protocol v2 REST codec: request parsing, response writing, JSON Schemas. */
export {
  encodeInferResponse,
  encodeTensorData,
  serializeInferResponse,
} from './encode-response.js';
export type {
  InferResponseArgs,
  InferResponseBody,
  JsonElement,
  ResponseOutput,
} from './encode-response.js';
export { fromHalfBits, toHalfBits } from './fp16.js';
export { errorBody, modelMetadata, serverMetadata } from './metadata.js';
export type { MetadataTensor, ModelMetadata, ServerMetadata } from './metadata.js';
export { OipError } from './oip-error.js';
export { parseInferRequest } from './parse-request.js';
export type { ParseOptions } from './parse-request.js';
export { OIP_SCHEMAS } from './schemas.js';
export type { OipSchemaName } from './schemas.js';
