import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TrafficPolicy } from '../model-table.js';
import { OipError } from '../oip/index.js';
import type { ServerContext } from '../server.js';

type TrafficRoute = { Params: { name: string }; Body: unknown };
type TrafficRequest = FastifyRequest<TrafficRoute>;

/**
 * The `weft_traffic` extension: read and set how a model's requests are split between its
 * loaded versions (`{"weights": {"1": 90, "2": 10}, "shadow": "3"}`). A change is atomic.
 */
export function registerTrafficRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/v2/models/:name/traffic', (request: TrafficRequest) => {
    const entry = context.table.models.get(request.params.name);
    if (!entry) throw new OipError(404, `model "${request.params.name}" is not loaded`);
    return describeTraffic(entry.traffic);
  });
  app.put<TrafficRoute>(
    '/v2/models/:name/traffic',
    context.management,
    (request: TrafficRequest) => {
      context.setTraffic(request.params.name, readTraffic(request.body));
      return describeTraffic(
        context.table.models.get(request.params.name)?.traffic ?? { weights: [] },
      );
    },
  );
}

function describeTraffic(traffic: TrafficPolicy): {
  weights: Record<string, number>;
  shadow?: string;
} {
  const weights = Object.fromEntries(traffic.weights.map((w) => [w.version, w.weight]));
  return traffic.shadow ? { weights, shadow: traffic.shadow } : { weights };
}

function readTraffic(body: unknown): TrafficPolicy {
  const { weights, shadow } = (body ?? {}) as { weights?: unknown; shadow?: unknown };
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    throw new OipError(400, 'traffic needs "weights": {"VERSION": WEIGHT, ...}');
  }
  const entries = Object.entries(weights);
  if (!entries.every(([, w]) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
    throw new OipError(400, 'every weight must be a number >= 0');
  }
  if (shadow !== undefined && typeof shadow !== 'string') {
    throw new OipError(400, '"shadow" must be a version (a string)');
  }
  const policy: TrafficPolicy = {
    weights: entries.map(([version, weight]) => ({ version, weight: weight as number })),
  };
  if (shadow !== undefined) policy.shadow = shadow;
  return policy;
}
