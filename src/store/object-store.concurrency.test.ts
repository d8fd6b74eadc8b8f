import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestBytes } from '../core/digest.js';
import { openObjectStore, type StoredObject } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');

// Each child opens the store, says "ready", waits for "go" on stdin, then stores the file:
// the barrier makes both writers run at the same time rather than one after the other.
const writerScript = `
import { openObjectStore } from ${JSON.stringify(pathToFileURL(join(here, 'index.ts')).href)};
const [root, file] = process.argv.slice(2);
const store = await openObjectStore(root);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const stored = await store.putFile(file);
process.stdout.write(JSON.stringify(stored) + '\\n');
process.exit(0);
`;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-store-conc-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function startWriter(script: string, root: string, file: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, root, file], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function readLines(child: ChildProcess): AsyncIterator<string> {
  if (child.stdout === null) throw new Error('child has no stdout');
  return createInterface({ input: child.stdout })[Symbol.asyncIterator]();
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const line = await lines.next();
  if (line.done === true) throw new Error('writer exited early');
  return line.value;
}

describe('ObjectStore across processes', () => {
  it('ends with one valid object and no temp files when two processes store one file', async () => {
    const payload = randomBytes(48 << 20);
    const source = join(dir, 'big.bin');
    await writeFile(source, payload);
    const script = join(dir, 'writer.mts');
    await writeFile(script, writerScript);
    const root = join(dir, 'store');

    const writers = [startWriter(script, root, source), startWriter(script, root, source)];
    const lines = writers.map(readLines);
    const exits = writers.map((child) => new Promise((ok) => child.once('exit', ok)));
    for (const reader of lines) expect(await nextLine(reader)).toBe('ready');
    for (const child of writers) child.stdin?.write('go\n');
    const results = await Promise.all(
      lines.map(async (reader) => JSON.parse(await nextLine(reader)) as StoredObject),
    );
    expect(await Promise.all(exits)).toEqual([0, 0]);

    const expected = { digest: digestBytes(payload), size: payload.length };
    expect(results).toEqual([expected, expected]);
    const store = await openObjectStore(root);
    const objects: StoredObject[] = [];
    for await (const object of store.list()) objects.push(object);
    expect(objects).toEqual([expected]);
    expect((await store.readBytes(expected.digest)).equals(payload)).toBe(true);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  }, 60_000);
});
