import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Tensor } from 'onnxruntime-node';
import type {
  DecodedTensor,
  InferRequest,
  InferResult,
  ModelRuntime,
  OipDatatype,
  TensorData,
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
 * The session lives in a worker thread: onnxruntime-node runs `session.run` synchronously on
 * the thread that calls it, so on the main thread every inference would stall the event loop
 * (and with it every other request, health check and swap). Plain JavaScript evaluated from a
 * string, so it survives bundling; onnxruntime-node is required by the path the main thread
 * resolved, since an eval'd worker resolves modules from the current directory.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
let session;
ort.InferenceSession.create(workerData.bytes).then(
  (created) => {
    session = created;
    parentPort.postMessage({ ready: true, outputNames: created.outputNames });
  },
  (error) => parentPort.postMessage({ ready: false, error: String(error && error.message) }),
);
parentPort.on('message', async (message) => {
  if (message.close) {
    if (session) await session.release();
    parentPort.close();
    return;
  }
  try {
    const feeds = {};
    for (const input of message.inputs) feeds[input.name] = new ort.Tensor(input.type, input.data, input.dims);
    const results = await session.run(feeds, message.fetches);
    const outputs = message.fetches.map((name) => {
      const tensor = results[name];
      return { name, type: tensor.type, dims: tensor.dims, data: tensor.data };
    });
    parentPort.postMessage({ id: message.id, outputs });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.message) });
  }
});
`;

interface WorkerOutput {
  name: string;
  type: Tensor.Type;
  dims: readonly number[];
  data: TensorData;
}

type WorkerReply =
  | { ready: true; outputNames: string[] }
  | { ready: false; error: string }
  | { id: number; outputs: WorkerOutput[] }
  | { id: number; error: string };

/** An ONNX model answering in-process, its session created once in a thread of its own. */
export async function startOnnxRuntime(bytes: Uint8Array): Promise<ModelRuntime> {
  const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, bytes } });
  const pending = new Map<
    number,
    { resolve: (r: InferResult) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  let alive = true;
  const outputNames = await new Promise<string[]>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if ('ready' in reply && reply.ready) resolve(reply.outputNames);
      else
        reject(
          new Error(
            `ONNX Runtime refused the model: ${'error' in reply ? reply.error : 'unknown'}`,
          ),
        );
    });
    worker.once('error', reject);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.on('message', (reply: WorkerReply) => {
    if (!('id' in reply)) return;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiting) return;
    try {
      if ('error' in reply) throw new Error(`inference failed: ${reply.error}`);
      waiting.resolve({ outputs: reply.outputs.map(fromWorkerOutput) });
    } catch (error) {
      waiting.reject(error as Error);
    }
  });
  const failAll = (error: Error): void => {
    alive = false;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the ONNX Runtime thread stopped')));
  return {
    get ready() {
      return alive;
    },
    infer(request: InferRequest): Promise<InferResult> {
      if (!alive) return Promise.reject(new Error('the ONNX Runtime thread stopped'));
      const id = nextId++;
      const inputs = request.inputs.map((input) => ({
        name: input.name,
        type: ORT_TYPES[input.datatype],
        dims: input.shape,
        data: input.data,
      }));
      return new Promise<InferResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, inputs, fetches: request.outputs ?? outputNames });
      });
    },
    async close() {
      if (!alive) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ close: true });
      // A session that will not release (a native hang) must not hold up shutdown forever.
      const stuck = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(stuck);
    },
  };
}

function fromWorkerOutput(output: WorkerOutput): DecodedTensor {
  const datatype = OIP_TYPES.get(output.type);
  if (!datatype) {
    throw new Error(`output "${output.name}" has type ${output.type}, which OIP cannot carry`);
  }
  return { name: output.name, datatype, shape: [...output.dims].map(Number), data: output.data };
}
