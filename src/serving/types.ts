/**
 * Shapes shared by the model server's parts: tensors as the Open Inference Protocol (OIP v2)
 * names them, decoded into typed arrays ONNX Runtime can take without another copy.
 */

/** OIP tensor datatypes. */
export type OipDatatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

/**
 * Flat, row-major element data. BOOL is a Uint8Array of 0/1, INT64/UINT64 are BigInt64Array /
 * BigUint64Array, FP16 is a Uint16Array of raw half-precision bits, BYTES is an array of strings.
 */
export type TensorData =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | string[];

export interface DecodedTensor {
  name: string;
  datatype: OipDatatype;
  shape: number[];
  data: TensorData;
  parameters?: Record<string, unknown>;
}

/** An inference request after parsing and checking against the model's signature. */
export interface InferRequest {
  /** The client's `id`, echoed in the response; the server assigns one when absent. */
  id: string;
  parameters?: Record<string, unknown>;
  inputs: DecodedTensor[];
  /** Names of the outputs asked for; undefined = all of the model's outputs. */
  outputs?: string[];
}

export interface InferResult {
  outputs: DecodedTensor[];
}

/** One loaded model version that can answer inference requests. */
export interface ModelRuntime {
  /** False while an external process is (re)starting; requests then get 503. */
  readonly ready: boolean;
  infer(request: InferRequest): Promise<InferResult>;
  /** Frees the runtime; called only after its in-flight requests have finished. */
  close(): Promise<void>;
}
