import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockController } from './workspace-lock.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Takes the controller lock in another process, then waits to be killed. */
function holdLockInChild(weftDir: string): Promise<{ kill(): Promise<void> }> {
  const script = `import { lockController } from ${JSON.stringify(join(here, 'workspace-lock.ts'))};
await lockController(${JSON.stringify(weftDir)});
process.stdout.write('locked\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () =>
      resolve({
        kill: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      }),
    );
  });
}

describe('controller lock', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second holder while the first process lives', async () => {
    const holder = await holdLockInChild(dir);
    try {
      await expect(lockController(dir)).rejects.toMatchObject({ code: 'LOCKED' });
    } finally {
      await holder.kill();
    }
  });

  it('is taken over at once after its holder was killed with SIGKILL', async () => {
    const holder = await holdLockInChild(dir);
    await holder.kill();
    const release = await lockController(dir);
    await expect(lockController(dir)).rejects.toMatchObject({ code: 'LOCKED' });
    await release();
    await (
      await lockController(dir)
    )();
  });
});
