#!/usr/bin/env node
// The evaluation benchmark's baseline, run as its own process so it pays Node's start and
// ONNX Runtime's load as `weft evaluate` does: the fewest lines that push the same rows through
// the same model the same number of times, in weft's batch size, with nothing around them.
//
//   node bench/lib/bare-ort-inference.mjs MODEL.onnx FEATURES.f32 WIDTH PASSES BATCH_ROWS
//
// FEATURES.f32 holds the rows row-major as float32, so no parsing or transposing is measured.
// Prints {"inferenceMs", "totalMs"}: time inside session.run, and from session creation on
// (what weft's timing.totalMs covers too).
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { InferenceSession, Tensor } from 'onnxruntime-node';

async function readFeatures(path) {
  const bytes = await readFile(path);
  // A copy, because a Float32Array view needs a 4-byte aligned offset the Buffer may not have.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

async function main() {
  const [modelPath, featuresPath, ...numbers] = process.argv.slice(2);
  const [width, passes, batchRows] = numbers.map(Number);
  if (!modelPath || !featuresPath || !(width > 0 && passes > 0 && batchRows > 0)) {
    throw new Error('usage: bare-ort-inference.mjs MODEL FEATURES WIDTH PASSES BATCH_ROWS');
  }
  const features = await readFeatures(featuresPath);
  const rows = features.length / width;
  const started = performance.now();
  const session = await InferenceSession.create(await readFile(modelPath));
  const [input] = session.inputNames;
  let inferenceMs = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let start = 0; start < rows; start += batchRows) {
      const count = Math.min(batchRows, rows - start);
      const batch = features.subarray(start * width, (start + count) * width);
      const before = performance.now();
      const outputs = await session.run({ [input]: new Tensor('float32', batch, [count, width]) });
      inferenceMs += performance.now() - before;
      for (const tensor of Object.values(outputs)) tensor.dispose();
    }
  }
  await session.release();
  process.stdout.write(
    `${JSON.stringify({ inferenceMs, totalMs: performance.now() - started })}\n`,
  );
}

main().catch((error) => {
  console.error(
    `bare ONNX Runtime baseline failed: ${error instanceof Error ? error.message : error}`,
  );
  process.exitCode = 1;
});
