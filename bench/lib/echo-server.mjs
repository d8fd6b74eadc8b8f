#!/usr/bin/env node
// The serving benchmark's floors: a bare node:http server that does what any JSON inference
// endpoint must (read the body, parse it, answer a small JSON) and nothing else, so the gap to
// `weft serve` is what weft adds. Given a model, it also runs the row through ONNX Runtime
// (default session options, as weft's), which tells ONNX Runtime's share of that gap from the
// rest (fastify, request checks, evidence, metrics).
//
//   node bench/lib/echo-server.mjs [MODEL.onnx]   # prints "listening http://127.0.0.1:PORT"
//
// Runs until SIGTERM or SIGINT.
import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

/** Answers the sum of the first input's data, shaped like an OIP response of one value. */
async function echo(input) {
  let sum = 0;
  for (const value of input.data) sum += value;
  return { name: 'sum', datatype: 'FP32', shape: [1, 1], data: [sum] };
}

async function createInfer(modelPath) {
  // Loaded only here, so the echo alone is node:http and nothing else.
  const { InferenceSession, Tensor } = await import('onnxruntime-node');
  const session = await InferenceSession.create(await readFile(modelPath));
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  return async (input) => {
    const tensor = new Tensor('float32', Float32Array.from(input.data), input.shape);
    const output = (await session.run({ [inputName]: tensor }))[outputName];
    return {
      name: outputName,
      datatype: 'FP32',
      shape: output.dims,
      data: Array.from(output.data),
    };
  };
}

function serve(answer) {
  const respond = (response, status, body) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  return createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const parseAndAnswer = async () =>
        answer(JSON.parse(Buffer.concat(chunks).toString('utf8')).inputs[0]);
      parseAndAnswer().then(
        (output) => respond(response, 200, { model_name: 'bare', outputs: [output] }),
        (error) => respond(response, 400, { error: String(error) }),
      );
    });
  });
}

const [modelPath] = process.argv.slice(2);
const server = serve(modelPath ? await createInfer(modelPath) : echo);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`listening http://127.0.0.1:${port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop).once('SIGINT', stop);
