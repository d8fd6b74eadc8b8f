import { rm, type FileHandle } from 'node:fs/promises';
import { describeError, isWeftError, WeftError } from '../core/errors.js';

/** The `code` of a Node system error (ENOENT, ENOSPC, ...), if it is one. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

/** Filesystem failures inside the store all read the same way; WeftErrors pass through. */
export function toStoreIoError(
  root: string,
  error: unknown,
  verb: 'write' | 'read' = 'write',
): WeftError {
  if (isWeftError(error)) return error;
  const where = verb === 'write' ? `to ${root}` : `from ${root}`;
  return new WeftError('STORE_IO', `failed to ${verb} object ${where}: ${describeError(error)}`, {
    cause: error,
  });
}

/** Errors reading a workspace file the caller asked us to store. */
export function toSourceError(path: string, error: unknown): WeftError {
  if (isWeftError(error)) return error;
  if (errnoOf(error) === 'ENOENT') {
    return new WeftError('NOT_FOUND', `failed to store ${path}: it does not exist`, {
      cause: error,
    });
  }
  return new WeftError('STORE_IO', `failed to read ${path}: ${describeError(error)}`, {
    cause: error,
  });
}

/** Best-effort cleanup on error paths: the original error matters more than this one. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

/** FileHandle.write may write less than asked (e.g. just before ENOSPC); loop until done. */
export async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}
