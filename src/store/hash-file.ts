import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Digest } from '../core/digest.js';
import { toSourceError } from './store-io.js';

const CHUNK_BYTES = 1 << 20;
/** Files up to this size are read synchronously: see hashFile. */
const SYNC_READ_MAX_BYTES = CHUNK_BYTES;
/** The longest a run of synchronous reads may hold the event loop. */
const MAX_BLOCKING_MS = 10;

export interface HashedFile {
  digest: Digest;
  size: number;
}

/**
 * sha256 of a file. With `expectedSize` (from a stat), a file of at most 1 MiB is read
 * synchronously: for many small files the promise and thread-pool round trips of async I/O
 * cost more CPU than the hashing (measured ~1.6x slower), while large files are read async in
 * 1 MiB chunks so the next read overlaps the hashing of the last. A short read once
 * `expectedSize` bytes are in is taken as end of file, saving a zero-byte read per file.
 */
export async function hashFile(
  absPath: string,
  expectedSize = Number.POSITIVE_INFINITY,
): Promise<HashedFile> {
  if (expectedSize > SYNC_READ_MAX_BYTES) return hashFileAsync(absPath, expectedSize);
  await yieldWhenBusy();
  try {
    return hashFileSync(absPath, expectedSize);
  } catch (error) {
    throw toSourceError(absPath, error);
  }
}

/** One buffer serves every synchronous read: they never interleave. */
const syncBuffer = Buffer.allocUnsafe(CHUNK_BYTES);

function hashFileSync(absPath: string, expectedSize: number): HashedFile {
  const fd = openSync(absPath, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const bytesRead = readSync(fd, syncBuffer, 0, syncBuffer.length, null);
      if (bytesRead === 0) break;
      hash.update(syncBuffer.subarray(0, bytesRead));
      size += bytesRead;
      if (bytesRead < syncBuffer.length && size >= expectedSize) break;
    }
    return { digest: `sha256:${hash.digest('hex')}`, size };
  } finally {
    closeSync(fd);
  }
}

/** Reusable async read buffers: one per read in flight, so this stays small. */
const freeBuffers: Buffer[] = [];

async function hashFileAsync(absPath: string, expectedSize: number): Promise<HashedFile> {
  const handle = await open(absPath, 'r').catch((error: unknown) => {
    throw toSourceError(absPath, error);
  });
  const buffer = freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      if (bytesRead < buffer.length && size >= expectedSize) break;
    }
  } catch (error) {
    throw toSourceError(absPath, error);
  } finally {
    freeBuffers.push(buffer);
    await handle.close();
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

let lastYieldMs = 0;

/** Lets timers and I/O callbacks run between synchronous reads, at most every 10 ms. */
async function yieldWhenBusy(): Promise<void> {
  const now = performance.now();
  if (now - lastYieldMs < MAX_BLOCKING_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastYieldMs = performance.now();
}
