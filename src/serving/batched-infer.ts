import {
  concatRows,
  countRows,
  createBatcher,
  rowLayoutOf,
  splitRows,
  type Batcher,
} from './batching/index.js';
import type { VersionInfo } from './loaded-version.js';
import type { ServerMetrics } from './server-metrics.js';
import type { InferRequest, InferResult, ModelRuntime } from './types.js';

export interface BatchingOptions {
  maxBatchSize: number;
  maxLatencyMs: number;
}

/**
 * Coalesces concurrent requests to one version into one runtime call. Requests batch only with
 * requests of the same layout (input names, datatypes, trailing dimensions), so one odd request
 * can never fail a batch of good ones.
 */
export function createBatchedInfer(
  runtime: ModelRuntime,
  info: VersionInfo,
  options: BatchingOptions,
  metrics: ServerMetrics,
): (request: InferRequest) => Promise<InferResult> {
  const labels = { model: info.model, version: info.version };
  const batchers = new Map<string, Batcher<InferRequest, InferResult>>();
  const batcherFor = (layout: string): Batcher<InferRequest, InferResult> => {
    let batcher = batchers.get(layout);
    if (!batcher) {
      batcher = createBatcher<InferRequest, InferResult>({
        ...options,
        rowsOf: (request) => countRows(request.inputs),
        run: (requests) => runBatch(runtime, requests),
        onBatch: ({ rows, queueDelaysMs }) => {
          metrics.batchSize.observe(labels, rows);
          for (const delay of queueDelaysMs) metrics.queueDelay.observe(labels, delay / 1000);
        },
      });
      batchers.set(layout, batcher);
    }
    return batcher;
  };
  return (request) => batcherFor(rowLayoutOf(request.inputs)).submit(request);
}

async function runBatch(runtime: ModelRuntime, requests: InferRequest[]): Promise<InferResult[]> {
  const [first] = requests;
  if (requests.length === 1 && first) return [await runtime.infer(first)];
  const wanted = requests.some((r) => r.outputs === undefined)
    ? undefined
    : [...new Set(requests.flatMap((r) => r.outputs ?? []))];
  const result = await runtime.infer({
    id: first?.id ?? '',
    inputs: concatRows(requests.map((r) => r.inputs)),
    ...(wanted ? { outputs: wanted } : {}),
  });
  const parts = splitRows(
    result.outputs,
    requests.map((r) => countRows(r.inputs)),
  );
  return parts.map((outputs, k) => {
    const asked = requests[k]?.outputs;
    return { outputs: asked ? outputs.filter((o) => asked.includes(o.name)) : outputs };
  });
}
