/**
 * Reads the signature (inputs and outputs) of an ONNX model, in Open Inference Protocol terms, so
 * the registry can record what a model version takes and returns without running it.
 */
import onnxProto from 'onnx-proto';
import { describeError, WeftError } from '../core/errors.js';
import type { ModelSignature, TensorSpec } from '../registry/types.js';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;

/** Types the OIP can name; the rest (complex numbers, undefined) read as `UNKNOWN`. */
const OIP_DATATYPES: ReadonlyMap<number, string> = new Map([
  [DataType.BOOL, 'BOOL'],
  [DataType.UINT8, 'UINT8'],
  [DataType.UINT16, 'UINT16'],
  [DataType.UINT32, 'UINT32'],
  [DataType.UINT64, 'UINT64'],
  [DataType.INT8, 'INT8'],
  [DataType.INT16, 'INT16'],
  [DataType.INT32, 'INT32'],
  [DataType.INT64, 'INT64'],
  [DataType.FLOAT16, 'FP16'],
  [DataType.BFLOAT16, 'BF16'],
  [DataType.FLOAT, 'FP32'],
  [DataType.DOUBLE, 'FP64'],
  [DataType.STRING, 'BYTES'],
]);

/**
 * Decodes an ONNX ModelProto and returns its graph inputs (without initializers, which are
 * weights) and outputs. A dimension the model leaves open (`dim_param` or no value) is -1.
 * Values that are not tensors (sequences, maps such as sklearn's ZipMap output, optionals) and
 * tensors of a type the OIP has no name for get datatype `UNKNOWN` and shape `[]`; so does a
 * tensor whose rank the model does not declare.
 *
 * @throws WeftError SPEC_INVALID when the bytes are not an ONNX model with a graph, inputs and outputs.
 */
export function readOnnxSignature(bytes: Uint8Array, name?: string): ModelSignature {
  const fail = (problem: string, cause?: unknown): WeftError =>
    new WeftError(
      'SPEC_INVALID',
      `failed to read ONNX model${name ? ` ${name}` : ''}: ${problem}`,
      { cause },
    );
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw fail(`not an ONNX protobuf (${describeError(error)})`, error);
  }
  const graph = model.graph;
  if (!graph) throw fail('no graph (is this an ONNX file?)');
  const weights = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
  const inputs = (graph.input ?? []).filter((value) => !weights.has(value.name ?? ''));
  if (inputs.length === 0) throw fail('the graph has no inputs');
  if ((graph.output ?? []).length === 0) throw fail('the graph has no outputs');
  return { inputs: inputs.map(toTensorSpec), outputs: (graph.output ?? []).map(toTensorSpec) };
}

function toTensorSpec(value: onnxProto.onnx.IValueInfoProto): TensorSpec {
  const name = value.name ?? '';
  const tensor = value.type?.tensorType;
  const datatype = OIP_DATATYPES.get(tensor?.elemType ?? DataType.UNDEFINED);
  if (!tensor || !datatype || !tensor.shape) return { name, datatype: 'UNKNOWN', shape: [] };
  return { name, datatype, shape: (tensor.shape.dim ?? []).map(readDimension) };
}

function readDimension(dim: onnxProto.onnx.TensorShapeProto.IDimension): number {
  // Decoding sets only the oneof member present in the file; defaults sit on the prototype.
  if (dim.dimParam || !Object.hasOwn(dim, 'dimValue') || dim.dimValue == null) return -1;
  // protobufjs decodes int64 as a Long when the `long` package is installed, else as a number;
  // the Long type itself comes from @types/long, which is not installed.
  const size = dim.dimValue as number | { toNumber(): number };
  return typeof size === 'number' ? size : size.toNumber();
}

/** The model's `metadata_props` (key -> value), e.g. `classes` or `feature_names` as JSON text. */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(bytes);
  return Object.fromEntries(
    (model.metadataProps ?? []).map(({ key, value }) => [key ?? '', value ?? '']),
  );
}

/** A metadata value written as a JSON list (weft writes `classes` and `feature_names` so), as text items; undefined when it is not one. */
export function parseMetadataList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : undefined;
  } catch {
    return undefined;
  }
}
