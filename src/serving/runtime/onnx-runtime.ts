import { InferenceSession, Tensor } from 'onnxruntime-node';
import type {
  DecodedTensor,
  InferRequest,
  InferResult,
  ModelRuntime,
  OipDatatype,
} from '../types.js';

/** OIP datatype -> ONNX Runtime tensor type; both sides use the same typed arrays. */
const ORT_TYPES: Readonly<Record<OipDatatype, Tensor.Type>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const OIP_TYPES = new Map(Object.entries(ORT_TYPES).map(([oip, ort]) => [ort, oip as OipDatatype]));

/**
 * An ONNX model answering in-process: one session, created once; `session.run` executes on ONNX
 * Runtime's own threads, so the event loop keeps serving while a request computes.
 */
export async function startOnnxRuntime(bytes: Uint8Array): Promise<ModelRuntime> {
  const session = await InferenceSession.create(bytes);
  return {
    ready: true,
    async infer(request: InferRequest): Promise<InferResult> {
      const feeds: Record<string, Tensor> = {};
      for (const input of request.inputs) feeds[input.name] = toOrtTensor(input);
      const names = request.outputs ?? session.outputNames;
      const results = await session.run(feeds, names);
      return { outputs: names.map((name) => fromOrtTensor(name, results[name])) };
    },
    close: () => session.release(),
  };
}

function toOrtTensor(input: DecodedTensor): Tensor {
  return new Tensor(ORT_TYPES[input.datatype], input.data, input.shape);
}

function fromOrtTensor(name: string, tensor: Tensor | undefined): DecodedTensor {
  if (!tensor) throw new Error(`the model returned no output "${name}"`);
  const datatype = OIP_TYPES.get(tensor.type);
  if (!datatype)
    throw new Error(`output "${name}" has type ${tensor.type}, which OIP cannot carry`);
  return { name, datatype, shape: tensor.dims.map(Number), data: tensor.data };
}
