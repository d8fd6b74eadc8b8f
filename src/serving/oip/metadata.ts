/** Bodies of the OIP v2 metadata endpoints and of every error answer. */
import type { ModelSignature, TensorSpec } from '../../registry/types.js';

export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface MetadataTensor {
  name: string;
  datatype: string;
  /** -1 for a dimension of any size. */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: MetadataTensor[];
  outputs: MetadataTensor[];
  properties?: Record<string, string>;
}

/** `GET /v2`: the server's name and version and the protocol extensions it implements. */
export function serverMetadata(server: {
  name: string;
  version: string;
  extensions?: readonly string[];
}): ServerMetadata {
  return { name: server.name, version: server.version, extensions: [...(server.extensions ?? [])] };
}

/**
 * `GET /v2/models/{name}[/versions/{version}]`: the versions that may be asked for by URL, the
 * platform (e.g. `onnxruntime_onnx`) and the tensors the model takes and returns.
 */
export function modelMetadata(model: {
  name: string;
  versions: readonly string[];
  platform: string;
  signature: ModelSignature;
  properties?: Record<string, string>;
}): ModelMetadata {
  return {
    name: model.name,
    versions: [...model.versions],
    platform: model.platform,
    inputs: model.signature.inputs.map(toMetadataTensor),
    outputs: model.signature.outputs.map(toMetadataTensor),
    ...(model.properties && { properties: { ...model.properties } }),
  };
}

function toMetadataTensor(tensor: TensorSpec): MetadataTensor {
  return { name: tensor.name, datatype: tensor.datatype, shape: [...tensor.shape] };
}

/** The body of any failed request, as every OIP endpoint words it. */
export function errorBody(message: string): { error: string } {
  return { error: message };
}
