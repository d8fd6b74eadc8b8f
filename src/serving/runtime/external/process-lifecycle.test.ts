import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXIT_WITHOUT_CLOSE,
  isProcessGone,
  recordingLogger,
  toyCommand,
  waitFor,
  type LoggedLine,
} from '../../../../test/fixtures/external-runtime/toy-server.js';
import { WeftError } from '../../../core/errors.js';
import {
  startExternalRuntime,
  type ExternalRuntime,
  type ExternalRuntimeOptions,
} from './external-runtime.js';

const started: ExternalRuntime[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((runtime) => runtime.close()));
});

async function start(options: Partial<ExternalRuntimeOptions>): Promise<ExternalRuntime> {
  const runtime = await startExternalRuntime({
    command: toyCommand(),
    cwd: import.meta.dirname,
    model: 'toy',
    version: '1',
    ...options,
  });
  started.push(runtime);
  return runtime;
}

const startsIn = (lines: LoggedLine[]): LoggedLine[] =>
  lines.filter((line) => line.message === 'external runtime process started');

/** The pid the toy server's child printed, from the forwarded stdout. */
const grandchildPid = (lines: LoggedLine[]): number | undefined => {
  const line = lines.find((candidate) => candidate.message.startsWith('grandchild pid '));
  return line && Number(line.message.slice('grandchild pid '.length));
};

describe('external runtime process lifecycle', () => {
  it('passes the port as {port} in argv and as WEFT_RUNTIME_PORT', async () => {
    const logger = recordingLogger();
    const script = 'echo "argv=$0 env=$WEFT_RUNTIME_PORT"; sleep 5';
    await start({ command: ['/bin/sh', '-c', script, '{port}'], logger });
    const line = await waitFor(
      () => logger.lines.find((candidate) => candidate.message.startsWith('argv=')),
      5_000,
      'the echoed port',
    );
    const [, argvPort, envPort] = /^argv=(\d+) env=(\d+)$/.exec(line.message) ?? [];
    expect(argvPort).toBe(envPort);
    expect(line.fields).toMatchObject({ stream: 'stdout', runtime: 'external', model: 'toy' });
    expect(line.fields).toEqual(expect.objectContaining({ pid: expect.any(Number) as number }));
  });

  it('restarts a process that exits at once after growing, capped waits', async () => {
    const logger = recordingLogger();
    const backoff = { initialMs: 50, factor: 2, maxMs: 400 };
    const runtime = await start({ command: ['/bin/sh', '-c', 'exit 3'], backoff, logger });
    await waitFor(() => startsIn(logger.lines).length >= 6, 10_000, 'six starts');
    const starts = startsIn(logger.lines).map((line) => line.at);
    const gaps = starts.slice(1).map((at, index) => at - (starts[index] as number));
    [50, 100, 200, 400, 400].forEach((delayMs, index) => {
      expect(gaps[index]).toBeGreaterThanOrEqual(delayMs - 5);
      expect(gaps[index]).toBeLessThan(delayMs + 500);
    });
    expect(runtime.ready).toBe(false);
    expect(runtime.status()).toMatchObject({ ready: false, lastExit: { code: 3, signal: null } });
    expect(runtime.status().restarts).toBeGreaterThanOrEqual(5);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'external runtime process exited before it was ready',
      }),
    );
  });

  it('stops a process not ready within startTimeoutMs and starts it again', async () => {
    const logger = recordingLogger();
    const runtime = await start({
      env: { TOY_START_DELAY_MS: '10000' },
      startTimeoutMs: 300,
      backoff: { initialMs: 100 },
      logger,
    });
    const firstPid = runtime.status().pid as number;
    await waitFor(() => startsIn(logger.lines).length >= 2, 5_000, 'a second start');
    const [first, second] = startsIn(logger.lines);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(400 - 5);
    expect(isProcessGone(firstPid)).toBe(true);
    expect(runtime.status()).toMatchObject({
      ready: false,
      restarts: 1,
      lastExit: { signal: 'SIGTERM' },
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'external runtime was not ready within 300 ms; stopped it',
      }),
    );
  });

  it('close stops the whole process group, the server child included', async () => {
    const logger = recordingLogger();
    const runtime = await start({ env: { TOY_GRANDCHILD: '1' }, logger });
    await waitFor(() => runtime.ready, 10_000, 'ready');
    const pid = runtime.status().pid as number;
    const childPid = grandchildPid(logger.lines) as number;
    expect(isProcessGone(childPid)).toBe(false);
    await runtime.close();
    expect(isProcessGone(pid)).toBe(true);
    expect(isProcessGone(childPid)).toBe(true);
  });

  it('stops the children a crashed process left before starting it again', async () => {
    const logger = recordingLogger();
    const runtime = await start({
      env: { TOY_GRANDCHILD: '1' },
      logger,
      backoff: { initialMs: 50 },
    });
    await waitFor(() => runtime.ready, 10_000, 'ready');
    const childPid = grandchildPid(logger.lines) as number;
    process.kill(runtime.status().pid as number, 'SIGKILL');
    await waitFor(() => runtime.status().restarts === 1, 5_000, 'a restart');
    expect(isProcessGone(childPid)).toBe(true);
    expect(runtime.status().lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('kills a process that ignores SIGTERM once killGraceMs has passed', async () => {
    const runtime = await start({ env: { TOY_IGNORE_SIGTERM: '1' }, killGraceMs: 300 });
    await waitFor(() => runtime.ready, 10_000, 'ready');
    const pid = runtime.status().pid as number;
    const startedAt = Date.now();
    await runtime.close();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300 - 5);
    expect(isProcessGone(pid)).toBe(true);
    expect(runtime.status().lastExit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('takes the process group down when weft exits without closing the runtime', async () => {
    const args = ['--import', 'tsx', EXIT_WITHOUT_CLOSE];
    const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 20_000 });
    const { pid, grandchild } = JSON.parse(stdout) as { pid: number; grandchild: number };
    expect(grandchild).toBeGreaterThan(0);
    await waitFor(() => isProcessGone(pid) && isProcessGone(grandchild), 2_000, 'no survivors');
  });

  it('rejects when the command cannot be started at all', async () => {
    await expect(start({ command: ['/nonexistent/model-server'] })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await expect(start({ command: [] })).rejects.toThrow(WeftError);
  });
});
