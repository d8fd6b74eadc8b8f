#!/usr/bin/env node
// Memory per loaded version with the shared ONNX worker pool, in a fresh process running weft's
// model server from src/ (through tsx, as swap-driver.mjs does, so it needs no build): one
// version per worker first, so every worker thread is running, then COUNT more versions of the
// small model, each answering one request through the server's routes (app.inject: no sockets).
//
//   node --expose-gc --import tsx bench/lib/pool-memory.mjs WORKERS COUNT
//
// Prints {"workers", "versions", "beforeRssBytes", "poolRssBytes", "addedRssBytes"}: RSS before
// any version, what the first WORKERS versions added (the workers' fixed cost, with their
// sessions), and what the COUNT others added once each had answered.
import { readFileSync } from 'node:fs';
import { digestBytes } from '../../src/core/digest.ts';
import { readOnnxSignature } from '../../src/evaluate/onnx-signature.ts';
import { LoadedVersion } from '../../src/serving/loaded-version.ts';
import { OnnxPool, startOnnxRuntime } from '../../src/serving/runtime/onnx-runtime.ts';
import { createModelServer } from '../../src/serving/server.ts';
import { encodeSmallModel, SMALL_FEATURES, singleRowBody } from './serve-models.mjs';

const MODEL = 'small';

function readRssBytes() {
  globalThis.gc?.();
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kib === undefined ? process.memoryUsage.rss() : Number(kib) * 1024;
}

async function loadVersions(server, pool, versions) {
  for (const version of versions) {
    const bytes = encodeSmallModel(version);
    const info = {
      model: MODEL,
      version: String(version),
      digest: digestBytes(bytes),
      platform: 'onnxruntime_onnx',
      signature: readOnnxSignature(bytes),
    };
    server.load(new LoadedVersion(info, await startOnnxRuntime(bytes, pool)));
  }
  const body = singleRowBody(SMALL_FEATURES);
  for (const version of versions) {
    const url = `/v2/models/${MODEL}/versions/${version}/infer`;
    const answer = await server.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    if (answer.statusCode !== 200) throw new Error(`${url}: ${answer.statusCode} ${answer.body}`);
  }
}

async function main() {
  const [workers, count] = process.argv.slice(2).map(Number);
  if (!(workers > 0) || !(count > 0)) throw new Error('usage: pool-memory.mjs WORKERS COUNT');
  const pool = new OnnxPool({ workers });
  const server = createModelServer({ onnxPool: pool });
  await server.app.ready();
  const beforeRssBytes = readRssBytes();
  const first = Array.from({ length: workers }, (_, k) => k + 1);
  await loadVersions(server, pool, first);
  const warmRssBytes = readRssBytes();
  const more = Array.from({ length: count }, (_, k) => workers + k + 1);
  await loadVersions(server, pool, more);
  const addedRssBytes = readRssBytes() - warmRssBytes;
  await server.close();
  const poolRssBytes = warmRssBytes - beforeRssBytes;
  process.stdout.write(
    `${JSON.stringify({ workers, versions: count, beforeRssBytes, poolRssBytes, addedRssBytes })}\n`,
  );
}

main().catch((error) => {
  console.error(`pool memory failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
