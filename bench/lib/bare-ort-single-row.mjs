#!/usr/bin/env node
// What one inference costs with nothing around it: a loop of session.run on one row (and on
// batches of BATCH rows) of a model, in a fresh process with ONNX Runtime's default options,
// as `weft serve` creates its sessions. Tells whether a model is as costly as a benchmark says.
//
//   node bench/lib/bare-ort-single-row.mjs MODEL.onnx WIDTH BATCH
//
// Prints {"singleRowMs", "batchMs"}: the median of 5 timed blocks of runs each.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const BLOCKS = 5;
const BLOCK_MS = 300;

async function timeRuns(session, input, rows, width) {
  const data = new Float32Array(rows * width).map((_, i) => ((i * 7919) % 200) / 100 - 1);
  const runOnce = async () => {
    const outputs = await session.run({ [input]: new Tensor('float32', data, [rows, width]) });
    for (const tensor of Object.values(outputs)) tensor.dispose();
  };
  for (let warm = 0; warm < 20; warm++) await runOnce();
  const perRun = [];
  for (let block = 0; block < BLOCKS; block++) {
    const started = performance.now();
    let runs = 0;
    while (performance.now() - started < BLOCK_MS) {
      await runOnce();
      runs += 1;
    }
    perRun.push((performance.now() - started) / runs);
  }
  return perRun.sort((a, b) => a - b)[Math.floor(BLOCKS / 2)];
}

async function main() {
  const [modelPath, widthText, batchText] = process.argv.slice(2);
  const [width, batch] = [Number(widthText), Number(batchText)];
  if (!modelPath || !(width > 0 && batch > 0)) {
    throw new Error('usage: bare-ort-single-row.mjs MODEL WIDTH BATCH');
  }
  const session = await InferenceSession.create(await readFile(modelPath));
  const [input] = session.inputNames;
  const singleRowMs = await timeRuns(session, input, 1, width);
  const batchMs = await timeRuns(session, input, batch, width);
  await session.release();
  process.stdout.write(`${JSON.stringify({ singleRowMs, batchMs })}\n`);
}

main().catch((error) => {
  console.error(`bare single-row timing failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
