import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { digestBytes, type Digest } from '../core/digest.js';
import { describeError, isWeftError, WeftError } from '../core/errors.js';
import { objectPathOf, type StoreLayout } from './layout.js';
import { errnoOf, writeAll } from './store-io.js';

const CHUNK_BYTES = 1 << 20;

/** Reads a whole object and checks it still hashes to its address before handing it out. */
export async function readVerified(layout: StoreLayout, digest: Digest): Promise<Buffer> {
  const path = objectPathOf(layout, digest);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw toReadError(layout, digest, error);
  }
  const actual = digestBytes(data);
  if (actual !== digest) await discardCorrupt(layout, digest, actual);
  return data;
}

/**
 * Streams an object into `destTmp` (a new file) while hashing it. On a mismatch the object is
 * removed and STORE_CORRUPT thrown; the caller owns `destTmp` and must delete it on error.
 */
export async function copyVerified(
  layout: StoreLayout,
  digest: Digest,
  destTmp: string,
  mode: number,
): Promise<void> {
  const hash = createHash('sha256');
  const handle = await open(destTmp, 'wx', 0o600);
  const input = createReadStream(objectPathOf(layout, digest), { highWaterMark: CHUNK_BYTES });
  const chunks = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await chunks.next().catch((error: unknown) => {
        throw toReadError(layout, digest, error);
      });
      if (next.done === true) break;
      hash.update(next.value as Buffer);
      await writeAll(handle, next.value as Buffer);
    }
    await handle.chmod(mode);
  } finally {
    input.destroy();
    await handle.close().catch(() => undefined);
  }
  const actual: Digest = `sha256:${hash.digest('hex')}`;
  if (actual !== digest) await discardCorrupt(layout, digest, actual);
}

export function missingObjectError(layout: StoreLayout, digest: Digest): WeftError {
  return new WeftError(
    'OBJECT_MISSING',
    `object ${digest} is missing from ${layout.root}; re-run the stage that produced it`,
  );
}

/** Removes a corrupt object so it is never handed out, then reports it. Always throws. */
async function discardCorrupt(layout: StoreLayout, digest: Digest, actual: Digest): Promise<never> {
  await rm(objectPathOf(layout, digest), { force: true }).catch(() => undefined);
  throw new WeftError(
    'STORE_CORRUPT',
    `object ${digest} is corrupt (content hashes to ${actual}); it was removed, re-run the stage that produced it`,
  );
}

function toReadError(layout: StoreLayout, digest: Digest, error: unknown): WeftError {
  if (isWeftError(error)) return error;
  if (errnoOf(error) === 'ENOENT') return missingObjectError(layout, digest);
  return new WeftError(
    'STORE_IO',
    `failed to read object ${digest} from ${layout.root}: ${describeError(error)}`,
    { cause: error },
  );
}
