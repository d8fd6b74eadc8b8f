/**
 * Sends one inference request to the external process and turns every way that can go wrong
 * into an ExternalRuntimeError with the HTTP status the model server should answer with.
 *
 * Path: `POST /v2/models/{model}/versions/{version}/infer` first, as the OIP names a version.
 * Many single-model servers route only `/v2/models/{model}/infer`; when the versioned path
 * answers 404 the unversioned one is tried, and if that answers anything but 404 the runtime
 * uses it from then on, so the probe costs one extra request per runtime, not per request.
 */
import { describeError } from '../../../core/errors.js';
import type { InferRequest, InferResult } from '../../types.js';
import { encodeInferRequest, parseInferResponse } from './infer-json.js';
import {
  LoopbackTimeoutError,
  type LoopbackAnswer,
  type LoopbackClient,
} from './loopback-client.js';
import { ExternalRuntimeError, statusForRejection } from './runtime-error.js';

export interface InferTarget {
  /** The runtime's name in messages, e.g. `toy@1`. */
  name: string;
  model: string;
  version: string;
  timeoutMs: number;
}

export type ForwardInfer = (port: number, request: InferRequest) => Promise<InferResult>;

export function forwardInfer(client: LoopbackClient, target: InferTarget): ForwardInfer {
  const model = encodeURIComponent(target.model);
  const versionedPath = `/v2/models/${model}/versions/${encodeURIComponent(target.version)}/infer`;
  const unversionedPath = `/v2/models/${model}/infer`;
  let isUnversioned = false;

  const send = async (port: number, path: string, body: string): Promise<LoopbackAnswer> => {
    try {
      return await client.send(port, 'POST', path, body, target.timeoutMs);
    } catch (error) {
      throw connectionFailure(target, error);
    }
  };
  const post = async (port: number, body: string): Promise<LoopbackAnswer> => {
    if (!isUnversioned) {
      const answer = await send(port, versionedPath, body);
      if (answer.status !== 404) return answer;
    }
    const answer = await send(port, unversionedPath, body);
    isUnversioned ||= answer.status !== 404;
    return answer;
  };

  return async (port, request) => {
    const answer = await post(port, encodeInferRequest(request));
    if (answer.status !== 200) throw rejection(target.name, answer);
    const parsed = parseInferResponse(answer.body);
    if ('problem' in parsed) {
      const problem = `its answer is not an OIP inference response: ${parsed.problem}`;
      throw new ExternalRuntimeError('RUNTIME_FAILED', 502, failedTo(target.name, problem));
    }
    return { outputs: parsed.outputs };
  };
}

const failedTo = (name: string, cause: string): string =>
  `failed to infer with ${name}: the external runtime ${cause}`;

function connectionFailure(target: InferTarget, error: unknown): ExternalRuntimeError {
  const options = { cause: error };
  if (error instanceof LoopbackTimeoutError) {
    const cause = `did not answer within ${target.timeoutMs} ms`;
    return new ExternalRuntimeError('RUNTIME_TIMEOUT', 504, failedTo(target.name, cause), options);
  }
  // Refused: the request never reached a process, which has exited and is about to restart.
  if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
    const cause = 'is not ready (its process has just exited); retry shortly';
    return new ExternalRuntimeError(
      'RUNTIME_NOT_READY',
      503,
      failedTo(target.name, cause),
      options,
    );
  }
  const cause = `closed the connection (${describeError(error)}); its process may have died`;
  return new ExternalRuntimeError('RUNTIME_FAILED', 502, failedTo(target.name, cause), options);
}

function rejection(name: string, answer: LoopbackAnswer): ExternalRuntimeError {
  const status = statusForRejection(answer.status);
  const cause = `answered ${answer.status}: ${readErrorMessage(answer.body)}`;
  return new ExternalRuntimeError('RUNTIME_REJECTED', status, failedTo(name, cause));
}

/** The `error` of an OIP error body, else the start of the body as text. */
function readErrorMessage(body: string): string {
  try {
    const { error } = JSON.parse(body) as { error?: unknown };
    if (typeof error === 'string') return error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 200) || '(empty body)';
}
