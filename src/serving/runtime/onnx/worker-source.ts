import { MOVE_MIN_BYTES } from './worker-protocol.js';

/**
 * The program of an ONNX worker thread: it holds many InferenceSessions by id and answers the
 * calls of worker-protocol.ts one by one (onnxruntime-node's `session.run` is synchronous on
 * the thread that calls it, which is why sessions live off the main thread at all). Plain
 * JavaScript evaluated from a string, so it survives bundling; onnxruntime-node is required by
 * the path the main thread resolved, since an eval'd worker resolves modules from the current
 * directory. Output buffers from MOVE_MIN_BYTES up are transferred (the worker has no further
 * use for them), smaller ones cloned. The message `{ kind: 'exit', code }` ends the thread
 * between two calls.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const sessions = new Map();

function sessionOf(id) {
  const session = sessions.get(id);
  if (!session) throw new Error('no session ' + id + ' in this worker');
  return session;
}

const handlers = {
  async create({ session, bytes, options }) {
    const created = await ort.InferenceSession.create(bytes, options);
    sessions.set(session, created);
    return { outputNames: created.outputNames };
  },
  async run({ session, inputs, fetches }) {
    const feeds = {};
    for (const input of inputs) feeds[input.name] = new ort.Tensor(input.type, input.data, input.dims);
    const results = await sessionOf(session).run(feeds, fetches);
    const outputs = fetches.map((name) => {
      const tensor = results[name];
      return { name, type: tensor.type, dims: tensor.dims, data: tensor.data };
    });
    return { outputs };
  },
  async release({ session }) {
    const found = sessions.get(session);
    sessions.delete(session);
    if (found) await found.release();
    return {};
  },
  async count() {
    return { sessions: sessions.size };
  },
};

function transferablesOf(result) {
  const buffers = new Set();
  for (const output of result.outputs || []) {
    const data = output.data;
    if (ArrayBuffer.isView(data) && data.byteLength >= ${MOVE_MIN_BYTES}) buffers.add(data.buffer);
  }
  return [...buffers];
}

parentPort.on('message', async (message) => {
  // Ends the thread between calls, never inside one: a thread terminated while ONNX Runtime
  // runs aborts the whole process (a Napi::Error thrown where nothing can catch it).
  if (message.kind === 'exit') process.exit(message.code);
  let reply;
  try {
    const result = await handlers[message.kind](message);
    reply = { id: message.id, result };
    try {
      parentPort.postMessage(reply, transferablesOf(result));
      return;
    } catch {
      // A buffer ONNX Runtime will not let go of is copied instead.
    }
  } catch (error) {
    reply = { id: message.id, error: String((error && error.message) || error) };
  }
  parentPort.postMessage(reply);
});
`;
