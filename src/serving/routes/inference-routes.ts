import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { statusOf } from '../http-errors.js';
import type { LoadedVersion } from '../loaded-version.js';
import { OipError, parseInferRequest, serializeInferResponse } from '../oip/index.js';
import type { ServerContext } from '../server.js';
import { recordServed } from '../served-evidence.js';
import { compareAnswers, shadowRequest } from '../shadow.js';
import type { InferRequest, InferResult } from '../types.js';

/** Header that pins a request to one version, for debugging a split. */
export const PIN_HEADER = 'weft-model-version';

type InferRoute = FastifyRequest<{ Params: { name: string; version?: string } }>;

/** `POST /v2/models/{name}[/versions/{version}]/infer`, with traffic split and shadow. */
export function registerInferenceRoutes(app: FastifyInstance, context: ServerContext): void {
  const infer = async (request: InferRoute, reply: FastifyReply): Promise<string> => {
    const started = performance.now();
    const { name } = request.params;
    const pinned = request.params.version ?? headerValue(request.headers[PIN_HEADER]);
    let version = '';
    let status = 200;
    try {
      const { primary, shadow } = context.table.route(name, pinned, context.random());
      version = primary.info.version;
      const parsed = parseInferRequest(request.body, primary.info.signature, {
        model: name,
        maxElements: context.maxElements,
        defaultId: request.id,
      });
      if (!primary.ready)
        throw new OipError(503, `model "${name}" version ${version} is not ready`);
      // serve() counts the request in flight now, before any await, so a swap cannot close it.
      const answer = primary.serve(parsed);
      if (shadow) void runShadow(context, shadow, parsed, answer);
      const result = await answer;
      recordServed(context.evidence, primary.info, parsed, result, Date.now());
      void reply.header('x-request-id', parsed.id).type('application/json; charset=utf-8');
      return serializeInferResponse({
        model: name,
        version,
        id: parsed.id,
        outputs: result.outputs,
      });
    } catch (error) {
      status = statusOf(error);
      throw error;
    } finally {
      const labels = { model: name, version };
      const latencyMs = performance.now() - started;
      context.metrics.requests.inc({ ...labels, status });
      context.metrics.latency.observe(labels, latencyMs / 1000);
      if (version) context.requests.record(name, version, { at: Date.now(), status, latencyMs });
    }
  };
  app.post('/v2/models/:name/infer', infer);
  app.post('/v2/models/:name/versions/:version/infer', infer);
}

/**
 * Sends a copy of the request to the shadow version and records how it compares with the
 * primary. Never throws and never delays the primary's answer.
 */
async function runShadow(
  context: ServerContext,
  shadow: LoadedVersion,
  request: InferRequest,
  primaryAnswer: Promise<InferResult>,
): Promise<void> {
  const labels = { model: shadow.info.model, version: shadow.info.version };
  const started = performance.now();
  try {
    const copy = shadowRequest(request);
    const [theirs, ours] = await Promise.all([shadow.serve(copy), primaryAnswer]);
    context.metrics.shadowLatency.observe(labels, (performance.now() - started) / 1000);
    const comparison = compareAnswers(ours, theirs);
    context.metrics.shadowRequests.inc({
      ...labels,
      outcome: comparison.agree ? 'agree' : 'disagree',
    });
    context.metrics.shadowMaxAbsDiff.set(labels, comparison.maxAbsDiff);
    context.shadows.record(labels.model, labels.version, {
      at: Date.now(),
      agree: comparison.agree,
    });
    recordServed(context.evidence, shadow.info, copy, theirs, Date.now());
  } catch {
    context.metrics.shadowRequests.inc({ ...labels, outcome: 'error' });
    context.shadows.record(labels.model, labels.version, { at: Date.now(), agree: null });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
