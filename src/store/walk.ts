import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { WeftError } from '../core/errors.js';
import { compareManifestPaths } from './manifest.js';
import { toSourceError } from './store-io.js';

/** A file found under a directory: `rel` is POSIX and relative to it, `abs` is where to read. */
export interface DirFile {
  rel: string;
  abs: string;
}

/**
 * Lists the regular files under `absDir`, recursively, sorted by relative path. A symlink is
 * followed only when it resolves to a file inside the directory: anything else (a directory,
 * somewhere outside, nothing at all) would make the digest depend on more than the directory,
 * so it is an error that names the link.
 */
export async function listDirFiles(absDir: string): Promise<DirFile[]> {
  const realRoot = await realpath(absDir).catch((error: unknown) => {
    throw toSourceError(absDir, error);
  });
  const files: DirFile[] = [];
  await collectFiles(absDir, '', realRoot, files);
  return files.sort((a, b) => compareManifestPaths(a.rel, b.rel));
}

async function collectFiles(
  absDir: string,
  relDir: string,
  realRoot: string,
  files: DirFile[],
): Promise<void> {
  const dirents = await readdir(absDir, { withFileTypes: true }).catch((error: unknown) => {
    throw toSourceError(absDir, error);
  });
  // One Promise.all over every entry, so a failure never leaves a rejection unobserved.
  const visits = dirents.map(async (dirent) => {
    const abs = join(absDir, dirent.name);
    const rel = relDir === '' ? dirent.name : `${relDir}/${dirent.name}`;
    if (dirent.isDirectory()) await collectFiles(abs, rel, realRoot, files);
    else if (dirent.isFile()) files.push({ rel, abs });
    else if (dirent.isSymbolicLink()) files.push(await followLink(abs, rel, realRoot));
    else throw unsupportedEntry(dirent, abs);
  });
  await Promise.all(visits);
}

async function followLink(abs: string, rel: string, realRoot: string): Promise<DirFile> {
  const target = await realpath(abs).catch(() => undefined);
  const isInside = target !== undefined && target.startsWith(realRoot + sep);
  if (isInside && (await stat(target)).isFile()) return { rel, abs };
  throw new WeftError(
    'STORE_IO',
    `failed to hash ${abs}: symlink ${rel} points to ${target ?? 'nothing'}, not to a file inside ` +
      `the directory; replace it with a copy of the file`,
  );
}

function unsupportedEntry(dirent: Dirent, abs: string): WeftError {
  const kind = dirent.isFIFO() ? 'a FIFO' : dirent.isSocket() ? 'a socket' : 'a device';
  return new WeftError('STORE_IO', `failed to hash ${abs}: it is ${kind}, not a regular file`);
}
