import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isDigest, type Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import type { PathDigest } from '../store/types.js';
import { compareStrings } from './cache-key.js';

export const LOCK_FILE = 'weft.lock';
const LOCK_SCHEMA = 1;

export interface LockedPath extends PathDigest {
  path: string;
}

/** What a stage last ran with and produced, as committed to Git (like dvc.lock). */
export interface LockedStage {
  key: Digest;
  cmd: string;
  deps: Array<{ path: string; digest: Digest; size: number }>;
  params: Record<string, unknown>;
  env: Record<string, string>;
  outs: LockedPath[];
}

export type Lockfile = Map<string, LockedStage>;

/** Sorted everywhere so two runs that agree write the same bytes, and diffs stay small. */
export function serializeLockfile(lock: Lockfile): string {
  const stages: Record<string, unknown> = {};
  for (const name of [...lock.keys()].sort(compareStrings)) {
    const stage = lock.get(name) as LockedStage;
    stages[name] = {
      key: stage.key,
      cmd: stage.cmd,
      deps: sortByPath(stage.deps).map(({ path, digest, size }) => ({ path, digest, size })),
      params: sortKeys(stage.params),
      env: sortKeys(stage.env),
      outs: sortByPath(stage.outs).map(({ path, digest, size, kind }) => ({
        path,
        digest,
        size,
        kind,
      })),
    };
  }
  return `${JSON.stringify({ schema: LOCK_SCHEMA, stages }, null, 2)}\n`;
}

export function parseLockfile(text: string, file = LOCK_FILE): Lockfile {
  if (text.trim() === '') return new Map(); // An empty file locks nothing.
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw malformed(file, describeJsonError(text, error));
  }
  if (!isRecord(data) || data.schema !== LOCK_SCHEMA || !isRecord(data.stages)) {
    throw malformed(file, `expected "schema: ${LOCK_SCHEMA}" and a "stages" mapping`);
  }
  const lock: Lockfile = new Map();
  for (const [name, entry] of Object.entries(data.stages)) {
    if (!isLockedStage(entry)) throw malformed(file, `stage ${name} has an invalid entry`);
    lock.set(name, entry);
  }
  return lock;
}

/** An absent lock is an empty one: nothing has run yet. */
export async function readLockfile(root: string): Promise<Lockfile> {
  let text: string;
  try {
    text = await readFile(join(root, LOCK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  return parseLockfile(text);
}

/** Atomic: readers see the old lock or the new one, never half of one. */
export async function writeLockfile(root: string, lock: Lockfile): Promise<void> {
  await writeFileAtomic(join(root, LOCK_FILE), serializeLockfile(lock));
}

/** V8 says "... at position N"; people and editors want line:col. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /end of JSON input/.test(message)
    ? text.length
    : /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const before = text.slice(0, Number(position)).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}: ${message}`;
}

function malformed(file: string, detail: string): WeftError {
  return new WeftError(
    'SPEC_INVALID',
    `failed to read ${file}: ${detail}; restore it from Git or delete it (the next run rebuilds it from the cache)`,
  );
}

function sortByPath<T extends { path: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => compareStrings(a.path, b.path));
}

/** Recursive, so that reordering keys inside a params section does not rewrite the lock. */
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([key, value]) => [key, isRecord(value) ? (sortKeys(value) as T) : value]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPathEntry(value: unknown): value is { path: string; digest: Digest; size: number } {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    isDigest(value.digest) &&
    typeof value.size === 'number'
  );
}

function isLockedStage(value: unknown): value is LockedStage {
  return (
    isRecord(value) &&
    isDigest(value.key) &&
    typeof value.cmd === 'string' &&
    Array.isArray(value.deps) &&
    value.deps.every(isPathEntry) &&
    isRecord(value.params) &&
    isRecord(value.env) &&
    Array.isArray(value.outs) &&
    value.outs.every(
      (o: unknown) => isRecord(o) && (o.kind === 'file' || o.kind === 'dir') && isPathEntry(o),
    )
  );
}
