/**
 * The `external` runtime: a model server process in any language, given by the deployment,
 * that speaks OIP v2 REST on a loopback port. weft starts and supervises it (see
 * process-supervisor.ts) and forwards inference requests to it while it is ready.
 */
import { WeftError } from '../../../core/errors.js';
import type { ModelSignature, TensorSpec } from '../../../registry/types.js';
import type { InferRequest, InferResult, ModelRuntime } from '../../types.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { findFreeLoopbackPort } from './free-port.js';
import { createLoopbackClient, type LoopbackClient } from './loopback-client.js';
import { ProcessSupervisor, type SupervisorStatus } from './process-supervisor.js';
import { forwardInfer } from './forward-infer.js';
import { probeReady, resolveReadyPaths } from './ready-probe.js';
import { spawnRuntimeProcess, type RuntimeLogger } from './runtime-process.js';
import { ExternalRuntimeError } from './runtime-error.js';

export interface ExternalRuntimeOptions {
  /** argv of the model server, run without a shell; `{port}` in an element becomes the port. */
  command: readonly string[];
  cwd: string;
  /** Added to weft's environment; the process also gets `WEFT_RUNTIME_PORT`. */
  env?: Readonly<Record<string, string>>;
  model: string;
  version: string;
  /** Fixed port; by default a free loopback port is picked at each (re)start. */
  port?: number;
  /**
   * Readiness endpoint. Default: `/v2/models/{model}/ready`, and `/v2/health/ready` when the
   * process answers 404 there. `{model}` and `{version}` are replaced (URL-encoded).
   */
  readyPath?: string;
  /** How long a start may take before the process is stopped and counted as failed. */
  startTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** How long one inference request may take before it fails with 504. */
  requestTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL when stopping the process group. */
  killGraceMs?: number;
  logger?: RuntimeLogger;
}

export interface ExternalRuntime extends ModelRuntime {
  status(): SupervisorStatus;
  /**
   * The model's signature as the process describes it (`GET /v2/models/{model}`), waiting up to
   * `timeoutMs` for it to become ready: weft checks requests against it like an ONNX model's.
   */
  describe(timeoutMs: number): Promise<ModelSignature>;
}

const silentLogger: RuntimeLogger = { info() {}, warn() {}, error() {} };

/**
 * Starts the model server process and resolves as soon as it has been spawned; `ready` turns
 * true once it answers its readiness endpoint. Until then, and whenever it is restarting after
 * a crash, `infer` rejects at once with a 503 ExternalRuntimeError.
 *
 * @throws WeftError SPEC_INVALID when `command` is empty; the spawn error (e.g. ENOENT) when the
 *   command cannot be started at all.
 */
export async function startExternalRuntime(
  options: ExternalRuntimeOptions,
): Promise<ExternalRuntime> {
  const name = `${options.model}@${options.version}`;
  if (options.command.length === 0) {
    throw new WeftError(
      'SPEC_INVALID',
      `failed to start external runtime ${name}: command is empty`,
    );
  }
  const logger = options.logger ?? silentLogger;
  const logFields = { runtime: 'external', model: options.model, version: options.version };
  const client = createLoopbackClient();
  const readyPaths = resolveReadyPaths(options.readyPath, options.model, options.version);
  const supervisor = await ProcessSupervisor.start({
    launch: async () =>
      spawnRuntimeProcess({
        command: options.command,
        cwd: options.cwd,
        env: options.env ?? {},
        port: options.port ?? (await findFreeLoopbackPort()),
        logger,
        logFields,
      }),
    probeReady: (port) => probeReady(client, port, readyPaths),
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    killGraceMs: options.killGraceMs ?? 5_000,
    logger,
    logFields,
  }).catch((error: unknown) => {
    client.close();
    throw error;
  });
  return createRuntime(name, options, client, supervisor);
}

function createRuntime(
  name: string,
  options: ExternalRuntimeOptions,
  client: LoopbackClient,
  supervisor: ProcessSupervisor,
): ExternalRuntime {
  let isClosed = false;
  const forward = forwardInfer(client, {
    name,
    model: options.model,
    version: options.version,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
  });
  return {
    get ready() {
      return !isClosed && supervisor.readyPort !== undefined;
    },
    infer(request: InferRequest): Promise<InferResult> {
      const port = isClosed ? undefined : supervisor.readyPort;
      if (port === undefined) return Promise.reject(notReady(name, isClosed));
      return forward(port, request);
    },
    status: () => supervisor.status(),
    async describe(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!isClosed && supervisor.readyPort === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const port = supervisor.readyPort;
      if (isClosed || port === undefined) throw notReady(name, isClosed);
      const path = `/v2/models/${encodeURIComponent(options.model)}`;
      const answer = await client.send(port, 'GET', path, undefined, 5_000);
      return readSignature(name, answer.status, answer.body);
    },
    async close() {
      isClosed = true;
      await supervisor.close();
      client.close();
    },
  };
}

function notReady(name: string, isClosed: boolean): ExternalRuntimeError {
  const why = isClosed ? 'it was closed' : 'its process is starting or restarting; retry shortly';
  return new ExternalRuntimeError(
    'RUNTIME_NOT_READY',
    503,
    `failed to infer with ${name}: the external runtime is not ready (${why})`,
  );
}

function readSignature(name: string, status: number, body: string): ModelSignature {
  const fail = (why: string): ExternalRuntimeError =>
    new ExternalRuntimeError(
      'RUNTIME_REJECTED',
      502,
      `failed to read the metadata of ${name}: ${why}`,
    );
  if (status !== 200) throw fail(`it answered ${status}`);
  let metadata: { inputs?: unknown; outputs?: unknown };
  try {
    metadata = JSON.parse(body) as typeof metadata;
  } catch {
    throw fail('the answer is not JSON');
  }
  const tensors = (value: unknown, key: string): TensorSpec[] => {
    if (!Array.isArray(value)) throw fail(`"${key}" is not a list of tensors`);
    return value.map((t: { name?: unknown; datatype?: unknown; shape?: unknown }) => {
      if (typeof t.name !== 'string' || typeof t.datatype !== 'string' || !Array.isArray(t.shape)) {
        throw fail(`"${key}" has a tensor without name, datatype and shape`);
      }
      return { name: t.name, datatype: t.datatype, shape: t.shape.map(Number) };
    });
  };
  return {
    inputs: tensors(metadata.inputs, 'inputs'),
    outputs: tensors(metadata.outputs, 'outputs'),
  };
}
