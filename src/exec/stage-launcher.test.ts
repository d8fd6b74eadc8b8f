import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchStage, type LaunchRequest } from './stage-launcher.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-launcher-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function launch(cmd: string, overrides: Partial<LaunchRequest> = {}) {
  const lines: string[] = [];
  const launched = launchStage({
    cmd,
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    ...overrides,
  });
  return { ...launched, lines };
}

/** Running, as opposed to gone or a zombie (its parent died, and nobody may reap it here). */
function isAlive(pid: number): boolean {
  try {
    return readProcStat(pid).state !== 'Z';
  } catch {
    return false;
  }
}

function readProcStat(pid: number): { state: string; parent: number } {
  const [state = '', parent = ''] =
    readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { state, parent: Number(parent) };
}

describe('launchStage', () => {
  it('runs the command in its cwd and env and hands over every line', async () => {
    const stage = launch('printf "one\\ntwo\\n"; echo "$GREETING from $(pwd)" >&2; exit 3', {
      env: { PATH: process.env.PATH ?? '/bin', GREETING: 'hello' },
    });
    expect(await stage.result).toEqual({ exitCode: 3, signal: null });
    expect(stage.lines).toEqual(
      expect.arrayContaining(['stdout: one', 'stdout: two', `stderr: hello from ${dir}`]),
    );
    expect(stage.lines).toHaveLength(3);
    // Lines of one stream keep their order.
    expect(stage.lines.filter((line) => line.startsWith('stdout'))).toEqual([
      'stdout: one',
      'stdout: two',
    ]);
  });

  it('runs several commands side by side, each with its own outcome', async () => {
    // Each waits for the others' marker: run one after another, they would never finish.
    const waitForAll = 'for m in 0 1 2 3; do while [ ! -e ready-$m ]; do sleep 0.01; done; done';
    const stages = [0, 1, 2, 3].map((n) =>
      launch(`touch ready-${n}; ${waitForAll}; echo ${n}; exit ${n}`),
    );
    const results = await Promise.all(stages.map((stage) => stage.result));
    expect(results.map((result) => result.exitCode)).toEqual([0, 1, 2, 3]);
    expect(stages.map((stage) => stage.lines)).toEqual([0, 1, 2, 3].map((n) => [`stdout: ${n}`]));
  });

  it('reports a command that could not start', async () => {
    const stage = launch('true', { cwd: join(dir, 'missing') });
    const result = await stage.result;
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/ENOENT/);
  });

  it('signals the whole process group of a running command', async () => {
    const stage = launch('sleep 30 & echo $! > grandchild.pid; wait');
    await expect.poll(() => readPid(join(dir, 'grandchild.pid'))).toBeGreaterThan(0);
    const grandchild = readPid(join(dir, 'grandchild.pid')) as number;
    stage.signal('SIGTERM');
    expect((await stage.result).signal).toBe('SIGTERM');
    await expect.poll(() => isAlive(grandchild)).toBe(false);
  });

  it('delivers a signal asked for before the command started', async () => {
    const stage = launch('sleep 30');
    stage.signal('SIGTERM');
    expect(await stage.result).toEqual({ exitCode: null, signal: 'SIGTERM' });
  });

  it('reports running commands as lost when the launcher dies, and stops them', async () => {
    const stage = launch('echo $$ > shell.pid; sleep 30');
    await expect.poll(() => readPid(join(dir, 'shell.pid'))).toBeGreaterThan(0);
    const shell = readPid(join(dir, 'shell.pid')) as number;
    process.kill(readProcStat(shell).parent, 'SIGKILL');
    const result = await stage.result;
    expect(result.lostError).toMatch(/stage launcher exited \(SIGKILL\)/);
    await expect.poll(() => isAlive(shell)).toBe(false);
    // The next stage gets a new launcher.
    expect((await launch('exit 0').result).exitCode).toBe(0);
  });
});

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
