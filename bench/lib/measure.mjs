// Timing primitives: wall time around a child process, the raw sha256 baseline, and the
// small statistics the report needs.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanEnv } from './workspace.mjs';

/** Runs a command to completion; returns seconds of wall time and its output. Throws on failure. */
export function timeCommand(file, args, { cwd, allowFailure = false } = {}) {
  const started = performance.now();
  const result = spawnSync(file, args, {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!allowFailure && (result.error || result.status !== 0)) {
    const why = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
    throw new Error(
      `failed to run ${[file, ...args].join(' ')} in ${cwd}: ${why}\n` +
        `--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
    );
  }
  return {
    seconds,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    status: result.status,
  };
}

const tail = (text = '') => text.split('\n').slice(-40).join('\n');

/** `weft ...` through the built CLI, with the same Node that runs the bench. */
export function createWeft(cliPath) {
  return (cwd, ...args) => timeCommand(process.execPath, [cliPath, ...args], { cwd });
}

/**
 * Node's raw sha256 throughput over the same files: the tightest single-threaded loop, each file
 * hashed incrementally (streaming) in 1 MiB synchronous reads into one reused buffer, so per-file
 * overhead is as small as Node allows. Returns seconds.
 */
export function hashFilesRaw(root, files) {
  const buffer = Buffer.allocUnsafe(1 << 20);
  const started = performance.now();
  for (const file of files) {
    const hash = createHash('sha256');
    const handle = openSync(join(root, file.rel), 'r');
    try {
      for (let n; (n = readSync(handle, buffer, 0, buffer.length, null)) > 0;)
        hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(handle);
    }
    hash.digest('hex');
  }
  return (performance.now() - started) / 1000;
}

/** The same with one fs.createReadStream per file: what a straightforward script would do. */
export async function hashFilesStreamed(root, files) {
  const started = performance.now();
  for (const file of files) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(join(root, file.rel), { highWaterMark: 1 << 20 })) {
      hash.update(chunk);
    }
    hash.digest('hex');
  }
  return (performance.now() - started) / 1000;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const min = (values) => Math.min(...values);

/** p50 and p95 of `times`, each the sample at that rank (no interpolation). */
export function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95) };
}

/** "0.123 0.130 …" for the progress lines, so noise is visible. */
export const listSeconds = (values) => values.map((v) => v.toFixed(3)).join(' ');
