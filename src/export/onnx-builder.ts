/**
 * Small builders for ONNX protobuf messages (tensors, attributes, nodes, value infos, models), so
 * each exporter reads as the graph it writes. Nothing here adds a timestamp or anything else that
 * varies between calls: the same arguments always encode to the same bytes.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const { AttributeType } = onnx.AttributeProto;

export type OnnxNode = onnxProto.onnx.INodeProto;
export type OnnxTensor = onnxProto.onnx.ITensorProto;
export type OnnxAttribute = onnxProto.onnx.IAttributeProto;
export type OnnxValueInfo = onnxProto.onnx.IValueInfoProto;

export const { FLOAT, DOUBLE, INT64 } = onnx.TensorProto.DataType;

/** The domain of the traditional-ML operators (TreeEnsembleRegressor and friends). */
export const ML_DOMAIN = 'ai.onnx.ml';

/** The symbolic batch dimension: any number of rows. */
export const BATCH = 'N';

export function doubleTensor(name: string, dims: number[], values: number[]): OnnxTensor {
  return { name, dims, dataType: DOUBLE, doubleData: values };
}

export function int64Tensor(name: string, dims: number[], values: number[]): OnnxTensor {
  return { name, dims, dataType: INT64, int64Data: values };
}

export function floatTensor(name: string, dims: number[], values: number[]): OnnxTensor {
  return { name, dims, dataType: FLOAT, floatData: values };
}

export function intAttribute(name: string, value: number): OnnxAttribute {
  return { name, type: AttributeType.INT, i: value };
}

export function intsAttribute(name: string, values: number[]): OnnxAttribute {
  return { name, type: AttributeType.INTS, ints: values };
}

export function stringAttribute(name: string, value: string): OnnxAttribute {
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
}

export function stringsAttribute(name: string, values: string[]): OnnxAttribute {
  const encoder = new TextEncoder();
  return { name, type: AttributeType.STRINGS, strings: values.map((v) => encoder.encode(v)) };
}

export function tensorAttribute(name: string, tensor: OnnxTensor): OnnxAttribute {
  return { name, type: AttributeType.TENSOR, t: tensor };
}

/** A node named after its first output, which is unique in a graph. */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: OnnxAttribute[] = [],
  domain = '',
): OnnxNode {
  const name = outputs[0] ?? opType;
  return { name, opType, domain, input: inputs, output: outputs, attribute: attributes };
}

/** A tensor-typed graph input or output; a string dimension is symbolic. */
export function tensorValue(
  name: string,
  elemType: number,
  dims: (number | string)[],
): OnnxValueInfo {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

export interface ModelParts {
  name: string;
  /** What the graph computes and how its input is laid out, for whoever opens the file. */
  doc: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxTensor[];
  nodes: OnnxNode[];
  /** Written as metadata_props in insertion order. */
  metadata: Record<string, string>;
}

/**
 * Encodes an ONNX model (IR 8, opset 13, plus ai.onnx.ml 3 when a node needs it) with
 * producer_name `weft`. No producer_version: the same trained model gives the same bytes
 * whichever weft version exported it.
 */
export function encodeModel(parts: ModelParts): Uint8Array {
  const usesMl = parts.nodes.some((n) => n.domain === ML_DOMAIN);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 13 },
      ...(usesMl ? [{ domain: ML_DOMAIN, version: 3 }] : []),
    ],
    producerName: 'weft',
    graph: {
      name: parts.name,
      docString: parts.doc,
      input: parts.inputs,
      output: parts.outputs,
      initializer: parts.initializers,
      node: parts.nodes,
    },
    metadataProps: Object.entries(parts.metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
