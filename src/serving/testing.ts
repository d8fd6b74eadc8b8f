/**
 * Test helpers for the model server: small real ONNX models (built by weft's own exporters) and
 * a server on an ephemeral loopback port. Not part of the product.
 */
import { exportLinearRegression, exportLogisticRegression } from '../export/index.js';
import { readOnnxSignature } from '../evaluate/onnx-signature.js';
import { LoadedVersion } from './loaded-version.js';
import { startOnnxRuntime, type OnnxPool } from './runtime/onnx-runtime.js';
import { createModelServer, type ModelServer, type ModelServerOptions } from './server.js';

/** y = scale * (a + b): each version answers differently, so a test can tell who answered. */
export function linearModel(scale: number): Uint8Array {
  return exportLinearRegression(
    { name: 'multivariateLinearRegression', weights: [[scale], [scale]], intercept: false },
    { featureNames: ['a', 'b'] },
  );
}

/** A two-class classifier over two features: `no` when a < b, else `yes` (ml.js scores 'not this class'). */
export function classifierModel(): Uint8Array {
  return exportLogisticRegression(
    { name: 'LogisticRegression', classifiers: [{ weights: [[1, -1]] }, { weights: [[-1, 1]] }] },
    { featureNames: ['a', 'b'], classes: ['no', 'yes'] },
  );
}

/** A version of a test model; its session runs in `pool` (default: the process's shared pool). */
export async function loadVersion(
  model: string,
  version: string,
  bytes: Uint8Array,
  { pool, ...extra }: { classes?: string[]; pool?: OnnxPool } = {},
): Promise<LoadedVersion> {
  return new LoadedVersion(
    {
      model,
      version,
      digest: `sha256:${version.padStart(64, '0')}`,
      platform: 'onnxruntime_onnx',
      signature: readOnnxSignature(bytes),
      featureNames: ['a', 'b'],
      ...extra,
    },
    await startOnnxRuntime(bytes, pool),
  );
}

export async function startTestServer(
  versions: LoadedVersion[],
  options: ModelServerOptions = {},
): Promise<{ server: ModelServer; url: string }> {
  const server = createModelServer(options);
  for (const version of versions) server.load(version);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, url };
}

/** POSTs JSON and returns the status and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

export function rowRequest(a: number, b: number, id?: string): unknown {
  return {
    ...(id ? { id } : {}),
    inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [a, b] }],
  };
}
