#!/usr/bin/env node
// Swaps for the serving benchmark, done in-process because no HTTP endpoint moves traffic: the
// repository extension's load only adds a version (or replaces one with the same id) and its
// unload drops every version of a model, and `weft serve` takes --traffic only at start. So
// this script runs weft's model server from src/ (through tsx) and swaps as an operator's
// code would: load the next version, send all traffic to it, unload the previous one.
//
//   node --import tsx bench/lib/swap-driver.mjs A.onnx B.onnx SWAPS
//
// Prints {"url"} once listening; on a "go" line on stdin does SWAPS swaps, alternating the two
// models, and prints {"swaps", "totalMs", "slowestMs"}; closes the server on SIGTERM.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { digestBytes } from '../../src/core/digest.ts';
import { readOnnxSignature } from '../../src/evaluate/onnx-signature.ts';
import { LoadedVersion } from '../../src/serving/loaded-version.ts';
import { startOnnxRuntime } from '../../src/serving/runtime/onnx-runtime.ts';
import { createModelServer } from '../../src/serving/server.ts';

const MODEL = 'small';

async function startVersion(version, bytes) {
  const info = {
    model: MODEL,
    version,
    digest: digestBytes(bytes),
    platform: 'onnxruntime_onnx',
    signature: readOnnxSignature(bytes),
  };
  return new LoadedVersion(info, await startOnnxRuntime(bytes));
}

async function swap(server, models, count) {
  const durations = [];
  for (let next = 1; next <= count; next++) {
    const started = performance.now();
    server.load(await startVersion(String(next), models[next % 2]));
    server.setTraffic(MODEL, { weights: [{ version: String(next), weight: 1 }] });
    await server.unload(MODEL, String(next - 1));
    durations.push(performance.now() - started);
  }
  return {
    swaps: count,
    totalMs: durations.reduce((sum, ms) => sum + ms, 0),
    slowestMs: Math.max(...durations),
  };
}

async function main() {
  const [pathA, pathB, countText] = process.argv.slice(2);
  const count = Number(countText);
  if (!pathA || !pathB || !(count > 0)) {
    throw new Error('usage: swap-driver.mjs A.onnx B.onnx SWAPS');
  }
  const models = [await readFile(pathA), await readFile(pathB)];
  const server = createModelServer({ logger: { level: 'warn' } });
  server.load(await startVersion('0', models[0]));
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'go') continue;
    process.stdout.write(`${JSON.stringify(await swap(server, models, count))}\n`);
  }
}

main().catch((error) => {
  console.error(`swap driver failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
