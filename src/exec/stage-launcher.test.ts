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
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    env: {},
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
      env: { GREETING: 'hello' },
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

  it('gives the command the base environment with its own variables on top', async () => {
    const stage = launch('echo "$SHARED $OVERRIDDEN $OWN ${UNSET-unset}"', {
      baseEnv: { PATH: process.env.PATH, SHARED: 'base', OVERRIDDEN: 'base' },
      env: { OVERRIDDEN: 'stage', OWN: 'stage' },
    });
    await stage.result;
    expect(stage.lines).toEqual(['stdout: base stage stage unset']);
  });

  it('sees the base environment as it is at each launch, not as it was first sent', async () => {
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, CHANGING: 'first' };
    const echo = 'echo "${CHANGING-unset} ${ADDED-unset} ${OWN-unset}"';
    const outputs: string[][] = [];
    const run = async (env: Record<string, string> = {}): Promise<void> => {
      const stage = launch(echo, { baseEnv, env });
      await stage.result;
      outputs.push(stage.lines);
    };
    await run({ OWN: 'mine' });
    // Another stage's own variables are not part of the base.
    await run();
    baseEnv.CHANGING = 'second';
    await run();
    baseEnv.ADDED = 'added';
    await run();
    delete baseEnv.CHANGING;
    await run();
    expect(outputs).toEqual([
      ['stdout: first unset mine'],
      ['stdout: first unset unset'],
      ['stdout: second unset unset'],
      ['stdout: second added unset'],
      ['stdout: unset added unset'],
    ]);
  });

  it.each([
    [
      'split across reads',
      "printf 'par'; sleep 0.05; printf 'tial\\nnext'; sleep 0.05; printf ' line\\n'",
      ['partial', 'next line'],
    ],
    [
      'CRLF and lone CR, a CRLF split across reads',
      "printf 'one\\r'; sleep 0.05; printf '\\ntwo\\r\\nthree\\rfour\\n'",
      ['one', 'two', 'three', 'four'],
    ],
    ['empty lines', "printf 'a\\n\\n\\r\\nb\\n'", ['a', '', '', 'b']],
    ['no line break at the end', "printf 'a\\nlast'", ['a', 'last']],
    [
      'a character split across reads',
      "printf '\\303'; sleep 0.05; printf '\\251t\\303\\251\\n'",
      ['été'],
    ],
    ['no output at all', 'true', []],
  ])('hands over lines as readline would: %s', async (_case, cmd, expected) => {
    // Once on each stream: both are split alike, each on its own (their order is not kept).
    const stage = launch(`{ ${cmd}; }; { ${cmd}; } >&2`);
    await stage.result;
    const linesOf = (stream: string): string[] =>
      stage.lines
        .filter((line) => line.startsWith(`${stream}: `))
        .map((line) => line.slice(stream.length + 2));
    expect({ stdout: linesOf('stdout'), stderr: linesOf('stderr') }).toEqual({
      stdout: expected,
      stderr: expected,
    });
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

  it('reports a command too big to start without losing the others', async () => {
    const running = launch('sleep 0.3; echo still here');
    // One argument past Linux's 128 KiB limit: exec fails with E2BIG.
    const tooBig = launch(`echo ${'x'.repeat(200_000)}`);
    expect((await tooBig.result).spawnError).toMatch(/E2BIG/);
    expect(await running.result).toEqual({ exitCode: 0, signal: null });
    expect(running.lines).toEqual(['stdout: still here']);
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
