// What the benchmarks' ONNX models have in common, written with onnx-proto: tensor shapes and
// the model envelope (IR 8, opset 13) around a graph.
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;

/** A graph input or output: `dims` numbers are fixed sizes, strings named (dynamic) ones. */
export function valueInfo(name, elemType, dims) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** The serialized model around `graph`; `metadataProps` are its [{ key, value }] metadata. */
export function encodeOnnxModel(graph, metadataProps = []) {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'weft-bench',
    producerVersion: '1',
    graph,
    metadataProps,
  });
  return onnx.ModelProto.encode(model).finish();
}
