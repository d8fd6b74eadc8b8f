/**
 * What the main thread and an ONNX worker say to each other. Every request carries an `id` the
 * reply repeats, so many calls can be in flight on one worker; typed arrays from MOVE_MIN_BYTES
 * up travel as transferables (moved, not copied) wherever the sender no longer needs them.
 */
import type { Tensor } from 'onnxruntime-node';
import type { DecodedTensor, OipDatatype, TensorData } from '../../types.js';

/** A tensor as ONNX Runtime takes and gives it. */
export interface WorkerTensor {
  name: string;
  type: Tensor.Type;
  dims: readonly number[];
  data: TensorData;
}

/** ONNX Runtime session options the pool sets. */
export interface SessionOptions {
  intraOpNumThreads: number;
}

/** Requests without their `id`, which the worker's caller assigns. */
export type WorkerCall =
  | { kind: 'create'; session: number; bytes: Uint8Array; options: SessionOptions }
  | { kind: 'run'; session: number; inputs: WorkerTensor[]; fetches: string[] }
  | { kind: 'release'; session: number }
  | { kind: 'count' };

export type WorkerRequest = WorkerCall & { id: number };

/** What each kind of call resolves to. */
export interface WorkerResults {
  create: { outputNames: string[] };
  run: { outputs: WorkerTensor[] };
  release: Record<string, never>;
  count: { sessions: number };
}

export type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

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
 * Tensors smaller than this are cloned with their message rather than moved. Moving makes V8
 * build a transfer map on each side of every message (in a busy server its zone allocation
 * costs malloc a consolidation), which for a few hundred bytes costs more than the copy; from
 * about a kilobyte on, cloning costs the main thread more than moving.
 */
export const MOVE_MIN_BYTES = 1024;

/**
 * Request tensors for the worker, and the buffers to transfer. The request's own arrays stay
 * usable (evidence and shadows read them after inference): a large one is copied once, to
 * exactly its length, and the copy is moved; a small one is left to the structured clone,
 * copied first only when it views part of a larger buffer (a clone copies the whole buffer).
 */
export function toWorkerInputs(inputs: readonly DecodedTensor[]): {
  inputs: WorkerTensor[];
  transfer: ArrayBuffer[];
} {
  const transfer: ArrayBuffer[] = [];
  const converted = inputs.map((input) => ({
    name: input.name,
    type: ORT_TYPES[input.datatype],
    dims: input.shape,
    data: toWorkerData(input.data, transfer),
  }));
  return { inputs: converted, transfer };
}

function toWorkerData(data: TensorData, transfer: ArrayBuffer[]): TensorData {
  if (Array.isArray(data)) return data;
  if (data.byteLength < MOVE_MIN_BYTES) {
    return data.byteLength === data.buffer.byteLength ? data : data.slice();
  }
  const copy = data.slice();
  transfer.push(copy.buffer);
  return copy;
}

export function fromWorkerOutput(output: WorkerTensor): DecodedTensor {
  const datatype = OIP_TYPES.get(output.type);
  if (!datatype) {
    throw new Error(`output "${output.name}" has type ${output.type}, which OIP cannot carry`);
  }
  return { name: output.name, datatype, shape: [...output.dims].map(Number), data: output.data };
}
