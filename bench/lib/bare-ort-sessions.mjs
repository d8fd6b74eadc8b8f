#!/usr/bin/env node
// The memory floor of a loaded model version: resident memory added by ONNX Runtime sessions
// alone, each created from its own model file and run once (so per-session buffers exist),
// in a fresh process. weft's memory per loaded version is compared with this.
//
//   node bench/lib/bare-ort-sessions.mjs WIDTH FIRST.onnx MORE.onnx...
//
// Prints {"baseRssBytes", "addedRssBytes", "sessions"}: RSS with the first session, and what
// the others added.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InferenceSession, Tensor } from 'onnxruntime-node';

function readRssBytes() {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kib === undefined ? process.memoryUsage.rss() : Number(kib) * 1024;
}

async function startSession(path, width) {
  const session = await InferenceSession.create(await readFile(path));
  const data = new Float32Array(width).fill(0.5);
  await session.run({ [session.inputNames[0]]: new Tensor('float32', data, [1, width]) });
  return session;
}

async function main() {
  const [widthText, first, ...more] = process.argv.slice(2);
  const width = Number(widthText);
  if (!(width > 0) || !first || more.length === 0) {
    throw new Error('usage: bare-ort-sessions.mjs WIDTH FIRST.onnx MORE.onnx...');
  }
  const sessions = [await startSession(first, width)];
  const baseRssBytes = readRssBytes();
  for (const path of more) sessions.push(await startSession(path, width));
  const addedRssBytes = readRssBytes() - baseRssBytes;
  await Promise.all(sessions.map((session) => session.release()));
  process.stdout.write(
    `${JSON.stringify({ baseRssBytes, addedRssBytes, sessions: more.length })}\n`,
  );
}

main().catch((error) => {
  console.error(`bare session memory failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
