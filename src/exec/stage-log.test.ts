import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openObjectStore, type ObjectStore } from '../store/index.js';
import { StageLog } from './stage-log.js';

let dir = '';
let store: ObjectStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-stage-log-'));
  store = await openObjectStore(join(dir, 'store'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function storedText(log: StageLog): Promise<string> {
  const { digest } = await log.store(store);
  return (await store.readBytes(digest)).toString('utf8');
}

describe('StageLog', () => {
  it('keeps a small log in memory and stores it line by line', async () => {
    const spill = join(dir, 'small.log');
    const log = new StageLog(spill);
    log.append('one');
    log.append('');
    log.append('three');
    expect(existsSync(spill)).toBe(false);
    expect(await storedText(log)).toBe('one\n\nthree\n');
  });

  it('stores an empty log as the empty object', async () => {
    expect(await storedText(new StageLog(join(dir, 'empty.log')))).toBe('');
  });

  it('spills a big log to its temp file, stores all of it in order, then removes the file', async () => {
    const spill = join(dir, 'big.log');
    const log = new StageLog(spill);
    const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'x'.repeat(50)}`);
    for (const line of lines) log.append(line);
    expect(existsSync(spill)).toBe(true);
    expect(await storedText(log)).toBe(`${lines.join('\n')}\n`);
    expect(existsSync(spill)).toBe(false);
  });
});
