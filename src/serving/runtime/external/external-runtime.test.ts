import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isProcessGone,
  recordingLogger,
  toyCommand,
  waitFor,
} from '../../../../test/fixtures/external-runtime/toy-server.js';
import type { InferRequest } from '../../types.js';
import {
  startExternalRuntime,
  type ExternalRuntime,
  type ExternalRuntimeOptions,
} from './external-runtime.js';
import type { ExternalRuntimeError } from './runtime-error.js';

const started: ExternalRuntime[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((runtime) => runtime.close()));
});

async function startToy(
  env: Record<string, string> = {},
  options: Partial<ExternalRuntimeOptions> = {},
): Promise<ExternalRuntime> {
  const runtime = await startExternalRuntime({
    command: toyCommand(),
    cwd: import.meta.dirname,
    env,
    model: 'toy',
    version: '1',
    logger: pino({ level: 'silent' }),
    ...options,
  });
  started.push(runtime);
  await waitFor(() => runtime.ready, 10_000, 'the toy server to be ready');
  return runtime;
}

const int64Request: InferRequest = {
  id: 'r1',
  inputs: [
    {
      name: 'x',
      datatype: 'INT64',
      shape: [2, 3],
      data: BigInt64Array.of(1n, 2n, 3n, -4n, 5n, 6n),
    },
  ],
};

async function rejectionOf(promise: Promise<unknown>): Promise<ExternalRuntimeError> {
  const error = await promise.then(
    () => expect.unreachable('the request should have failed'),
    (reason: unknown) => reason,
  );
  return error as ExternalRuntimeError;
}

describe('external runtime with the toy OIP server', () => {
  it('becomes ready and round-trips INT64, FP32 and BOOL tensors', async () => {
    const logger = recordingLogger();
    const runtime = await startToy({}, { logger });
    const int64 = await runtime.infer(int64Request);
    expect(int64.outputs).toEqual([
      { name: 'sum', datatype: 'INT64', shape: [2], data: BigInt64Array.of(6n, 7n) },
      { name: 'echo', datatype: 'INT64', shape: [2, 3], data: int64Request.inputs[0]?.data },
    ]);
    const fp32 = await runtime.infer({
      id: 'r2',
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [2, 2], data: Float32Array.of(0.5, 1.25, -2, 0.1) },
      ],
      outputs: ['sum'],
    });
    expect(fp32.outputs).toEqual([
      {
        name: 'sum',
        datatype: 'FP32',
        shape: [2],
        data: Float32Array.of(1.75, -2 + Math.fround(0.1)),
      },
    ]);
    const bool = await runtime.infer({
      id: 'r3',
      inputs: [
        { name: 'x', datatype: 'BOOL', shape: [3, 2], data: Uint8Array.of(1, 0, 0, 0, 0, 1) },
      ],
    });
    expect(bool.outputs.map((output) => output.data)).toEqual([
      Uint8Array.of(1, 0, 1),
      Uint8Array.of(1, 0, 0, 0, 0, 1),
    ]);
    expect(runtime.status()).toMatchObject({ ready: true, restarts: 0 });
    const stderrLine = logger.lines.find((line) => line.message === 'a line on stderr');
    expect(stderrLine?.fields).toMatchObject({
      runtime: 'external',
      model: 'toy',
      stream: 'stderr',
    });
  });

  it('uses the unversioned infer path when the versioned one answers 404', async () => {
    const runtime = await startToy({ TOY_UNVERSIONED_ONLY: '1' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await runtime.infer({ ...int64Request, outputs: ['sum'] });
      expect(result.outputs[0]?.data).toEqual(BigInt64Array.of(6n, 7n));
    }
  });

  it('falls back to server readiness and passes the process 404 on', async () => {
    const runtime = await startToy({ TOY_MODEL: 'other' });
    const error = await rejectionOf(runtime.infer(int64Request));
    expect(error).toMatchObject({ code: 'RUNTIME_REJECTED', status: 404 });
    expect(error.message).toMatch(
      /^failed to infer with toy@1: the external runtime answered 404: no route/,
    );
  });

  it('answers 503 at once while restarting after a crash, then serves again', async () => {
    const backoff = { initialMs: 300 };
    const runtime = await startToy({ TOY_CRASH_AFTER: '2' }, { backoff });
    const firstPid = runtime.status().pid as number;
    await runtime.infer(int64Request);
    await runtime.infer(int64Request);
    const inFlight = await rejectionOf(runtime.infer(int64Request));
    expect(inFlight).toMatchObject({ code: 'RUNTIME_FAILED', status: 502 });
    expect(inFlight.message).toMatch(/its process may have died/);

    await waitFor(() => !runtime.ready, 2_000, 'the runtime to notice the crash');
    const startedAt = Date.now();
    const meanwhile = await rejectionOf(runtime.infer(int64Request));
    expect(Date.now() - startedAt).toBeLessThan(100);
    expect(meanwhile).toMatchObject({ code: 'RUNTIME_NOT_READY', status: 503 });
    expect(meanwhile.message).toMatch(/not ready/);

    await waitFor(() => runtime.ready, 10_000, 'the restarted process to be ready');
    expect((await runtime.infer(int64Request)).outputs).toHaveLength(2);
    expect(runtime.status()).toMatchObject({ restarts: 1, lastExit: { code: 3, signal: null } });
    expect(runtime.status().pid).not.toBe(firstPid);
    expect(isProcessGone(firstPid)).toBe(true);
  });

  it('rejects a request in flight with 502 when the process is killed', async () => {
    const runtime = await startToy({ TOY_INFER_DELAY_MS: '10000' });
    const pending = rejectionOf(runtime.infer(int64Request));
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(runtime.status().pid as number, 'SIGKILL');
    const startedAt = Date.now();
    expect(await pending).toMatchObject({ code: 'RUNTIME_FAILED', status: 502 });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('rejects with 504 when the process does not answer within requestTimeoutMs', async () => {
    const runtime = await startToy({ TOY_INFER_DELAY_MS: '10000' }, { requestTimeoutMs: 200 });
    const startedAt = Date.now();
    const error = await rejectionOf(runtime.infer(int64Request));
    expect(error).toMatchObject({ code: 'RUNTIME_TIMEOUT', status: 504 });
    expect(error.message).toBe(
      'failed to infer with toy@1: the external runtime did not answer within 200 ms',
    );
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('is not ready after close, and infer says so', async () => {
    const runtime = await startToy();
    const { pid } = runtime.status();
    await runtime.close();
    expect(runtime.ready).toBe(false);
    expect(isProcessGone(pid as number)).toBe(true);
    const error = await rejectionOf(runtime.infer(int64Request));
    expect(error).toMatchObject({ status: 503 });
    expect(error.message).toMatch(/it was closed/);
  });
});
