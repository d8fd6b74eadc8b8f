import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestBytes } from '../core/digest.js';
import { hashFilesOnPool } from './hash-pool.js';

const poolModule = fileURLToPath(new URL('hash-pool.ts', import.meta.url));

/** Runs `body` in a fresh Node process with the pool imported; resolves once that process exits. */
function runInProcess(dir: string, body: string): Promise<{ stdout: string }> {
  const script = join(dir, `script-${randomUUID()}.mts`);
  writeFileSync(script, `import * as pool from ${JSON.stringify(poolModule)};\n${body}`);
  return promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 20_000 });
}

describe('hash pool', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-pool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes files in input order, each with the stat taken as it was opened', async () => {
    const contents = ['alpha', '', 'gamma'.repeat(100_000)];
    const paths = contents.map((text, i) => {
      const path = join(dir, `file-${i}`);
      writeFileSync(path, text);
      return path;
    });
    const hashed = await hashFilesOnPool(
      paths,
      contents.map((text) => text.length),
    );
    expect(hashed).toEqual(
      contents.map((text, i) => {
        const { size, mtimeMs, ctimeMs, ino } = statSync(paths[i] as string);
        return {
          digest: digestBytes(text),
          size: text.length,
          stat: { size, mtimeMs, ctimeMs, ino },
        };
      }),
    );
  });

  it('does not keep a process alive, whether it was prepared only or has hashed', async () => {
    const path = join(dir, 'data');
    writeFileSync(path, 'data');
    // Each process would hang (and the call time out) if an idle worker kept it alive.
    await runInProcess(dir, 'pool.prepareHashPool();');
    const { stdout } = await runInProcess(
      dir,
      `pool.prepareHashPool();\nconsole.log((await pool.hashFilesOnPool([${JSON.stringify(path)}], [4]))[0].digest);`,
    );
    expect(stdout.trim()).toBe(digestBytes('data'));
  });
});
