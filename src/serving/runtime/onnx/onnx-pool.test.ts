import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger, waitFor } from '../../../../test/fixtures/external-runtime/toy-server.js';
import { statusOf } from '../../http-errors.js';
import type { LoadedVersion } from '../../loaded-version.js';
import type { ModelServer } from '../../server.js';
import { linearModel, loadVersion, postJson, rowRequest, startTestServer } from '../../testing.js';
import type { InferRequest, ModelRuntime } from '../../types.js';
import { OnnxPool, type OnnxPoolOptions } from './onnx-pool.js';
import type { OnnxRuntimeError } from './runtime-error.js';

const pools: OnnxPool[] = [];
const servers: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function createPool(options: OnnxPoolOptions = {}): OnnxPool {
  const pool = new OnnxPool({ workers: 2, ...options });
  pools.push(pool);
  return pool;
}

/** One row (a, b) for linearModel(scale), which answers scale * (a + b). */
function rowOf(a: number, b: number): InferRequest {
  return {
    id: 'r',
    inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 2], data: Float32Array.of(a, b) }],
  };
}

async function answerOf(runtime: ModelRuntime, a: number, b: number): Promise<number> {
  const { outputs } = await runtime.infer(rowOf(a, b));
  return Number(outputs[0]?.data[0]);
}

async function rejectionOf(promise: Promise<unknown>): Promise<OnnxRuntimeError> {
  const error = await promise.then(
    () => expect.unreachable('the call should have failed'),
    (reason: unknown) => reason,
  );
  return error as OnnxRuntimeError;
}

describe('ONNX worker pool', () => {
  it('serves 200 versions from 2 workers, concurrently, each with its own answers', async () => {
    const pool = createPool();
    const versions = await Promise.all(
      Array.from({ length: 200 }, (_, k) =>
        loadVersion('line', String(k + 1), linearModel(k + 1), { pool }),
      ),
    );
    expect(pool.status().map((worker) => worker.sessions)).toEqual([100, 100]);
    expect(await pool.countWorkerSessions()).toEqual([100, 100]);
    const { server, url } = await startTestServer(versions);
    servers.push(server);
    // Three requests per version at once, over HTTP: 600 in flight over two workers.
    const requests = versions.flatMap((_, k) =>
      [1, 2, 3].map(async (a) => {
        const { status, body } = await postJson(
          `${url}/v2/models/line/versions/${k + 1}/infer`,
          rowRequest(a, 1),
        );
        return { status, answer: (body as { outputs: Array<{ data: number[] }> }).outputs[0] };
      }),
    );
    const answers = await Promise.all(requests);
    answers.forEach(({ status, answer }, i) => {
      const scale = Math.floor(i / 3) + 1;
      const a = (i % 3) + 1;
      expect(status).toBe(200);
      expect(answer?.data).toEqual([scale * (a + 1)]);
    });
  });

  it('leaves the request tensors usable after inference (they are copied, not moved)', async () => {
    const runtime = await createPool().startSession(linearModel(2));
    const request = rowOf(3, 4);
    const { outputs } = await runtime.infer(request);
    expect(outputs).toEqual([
      { name: 'variable', datatype: 'FP32', shape: [1, 1], data: Float32Array.of(14) },
    ]);
    expect(request.inputs[0]?.data).toEqual(Float32Array.of(3, 4));
  });

  it("leaves the caller's model bytes intact, a Buffer included (its slice is only a view)", async () => {
    const pool = createPool();
    // Not from Buffer's shared pool (whose memory is never moved), like a file read whole.
    const bytes = Buffer.alloc(linearModel(3).length);
    bytes.set(linearModel(3));
    const first = await pool.startSession(bytes);
    const second = await pool.startSession(bytes);
    expect(bytes.length).toBe(linearModel(3).length);
    expect([await answerOf(first, 1, 1), await answerOf(second, 1, 2)]).toEqual([6, 9]);
  });

  it('releases a closed version in its worker and keeps the worker for the others', async () => {
    const pool = createPool();
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map((scale) => pool.startSession(linearModel(scale))),
    );
    expect(await pool.countWorkerSessions()).toEqual([2, 1]);
    await first?.close();
    expect(first?.ready).toBe(false);
    expect(await pool.countWorkerSessions()).toEqual([1, 1]);
    expect((await rejectionOf(first!.infer(rowOf(1, 1)))).status).toBe(503);
    expect(await answerOf(third!, 1, 1)).toBe(6);
    await second?.close();
    expect(pool.status().map((worker) => worker.running)).toEqual([true, true]);
    expect(await pool.countWorkerSessions()).toEqual([1, 0]);
  });

  it('unloading a served version frees its session', async () => {
    const pool = createPool();
    const versions = await Promise.all(
      [1, 2].map((k) => loadVersion('line', String(k), linearModel(k), { pool })),
    );
    const { server } = await startTestServer(versions, { onnxPool: pool });
    servers.push(server);
    server.setTraffic('line', { weights: [{ version: '2', weight: 1 }] });
    await server.unload('line', '1');
    expect(await pool.countWorkerSessions()).toEqual([0, 1]);
  });

  it('stops its threads when it holds no session and starts them again for the next', async () => {
    const pool = createPool();
    const session = await pool.startSession(linearModel(1));
    expect(pool.status().map((worker) => worker.running)).toEqual([true, false]);
    await session.close();
    expect(pool.status().map((worker) => worker.running)).toEqual([false, false]);
    const next = await pool.startSession(linearModel(5));
    expect(await answerOf(next, 1, 1)).toBe(10);
  });

  it('refuses bytes that are not a model, naming ONNX Runtime, and stays usable', async () => {
    const pool = createPool();
    const refused = await rejectionOf(pool.startSession(Uint8Array.of(1, 2, 3)));
    expect(refused.message).toMatch(/^ONNX Runtime refused the model: /);
    expect(pool.status().map((worker) => worker.sessions)).toEqual([0, 0]);
    expect(await answerOf(await pool.startSession(linearModel(3)), 2, 2)).toBe(12);
  });

  it('once closed, stops its workers, fails its sessions with 503 and refuses new ones', async () => {
    const pool = createPool();
    const session = await pool.startSession(linearModel(1));
    const { server } = await startTestServer([], { onnxPool: pool });
    await server.close();
    expect(pool.closed).toBe(true);
    expect(pool.status().map((worker) => worker.running)).toEqual([false, false]);
    expect(session.ready).toBe(false);
    const failed = await rejectionOf(session.infer(rowOf(1, 1)));
    expect([failed.status, failed.code]).toEqual([503, 'RUNTIME_NOT_READY']);
    const refused = await rejectionOf(pool.startSession(linearModel(1)));
    expect([refused.status, refused.code]).toEqual([503, 'POOL_CLOSED']);
    expect(refused.message).toContain('the ONNX worker pool is closed');
    await session.close();
  });

  it('replaces a crashed worker: its versions are not ready and fail with 503, then are ready again', async () => {
    const logger = recordingLogger();
    const pool = createPool({ logger, restartBackoff: { initialMs: 20 } });
    const versions: LoadedVersion[] = [];
    for (const k of [1, 2, 3, 4])
      versions.push(await loadVersion('m', String(k), linearModel(k), { pool }));
    const { server, url } = await startTestServer(versions);
    servers.push(server);
    const infer = (k: number) =>
      postJson(`${url}/v2/models/m/versions/${k}/infer`, rowRequest(1, 1));
    // Requests in flight when the worker dies are answered or fail with 503, never hang or 500.
    const inFlight = versions.map((version, k) =>
      version.serve(rowOf(1, 1)).then(
        ({ outputs }) => Number(outputs[0]?.data[0]) === 2 * (k + 1),
        (error: unknown) => statusOf(error) === 503,
      ),
    );
    await pool.killWorkerForTest(0);
    // Seen in the same turn as the exit: the replacement is at most starting, nothing re-created.
    expect(versions.map((version) => version.ready)).toEqual([false, true, false, true]);
    expect(pool.status()[0]).toMatchObject({ restarts: 1, sessions: 2, readySessions: 0 });
    const refused = await rejectionOf(versions[0]!.serve(rowOf(1, 1)));
    expect([statusOf(refused), refused.code]).toEqual([503, 'RUNTIME_NOT_READY']);
    expect(await Promise.all(inFlight)).toEqual([true, true, true, true]);
    expect(await infer(2)).toMatchObject({ status: 200, body: { outputs: [{ data: [4] }] } });
    await waitFor(() => versions.every((version) => version.ready), 10_000, 're-created sessions');
    expect(await infer(1)).toMatchObject({ status: 200, body: { outputs: [{ data: [2] }] } });
    expect(await infer(3)).toMatchObject({ status: 200, body: { outputs: [{ data: [6] }] } });
    expect(await pool.countWorkerSessions()).toEqual([2, 2]);
    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['warn', 'ONNX worker crashed; replacing it and re-creating its sessions'],
      ['info', 'ONNX worker replaced; its sessions are ready again'],
    ]);
  });

  it('re-creates sessions again when the replacement crashes too, waiting longer each time', async () => {
    const logger = recordingLogger();
    const pool = createPool({ workers: 1, logger, restartBackoff: { initialMs: 20 } });
    const runtime = await pool.startSession(linearModel(7));
    await pool.killWorkerForTest(0);
    await waitFor(() => runtime.ready, 10_000, 'the first replacement');
    await pool.killWorkerForTest(0);
    await waitFor(() => runtime.ready, 10_000, 'the second replacement');
    expect(await answerOf(runtime, 1, 0)).toBe(7);
    const delays = logger.lines.filter((l) => l.level === 'warn').map((l) => l.fields.delayMs);
    expect(delays).toEqual([20, 40]);
  });
});
