import type { FastifyRequest } from 'fastify';
import type { MetadataStore } from '../registry/types.js';
import type { LiveView } from '../controller/live-server.js';
import type { ObjectStore } from '../store/index.js';
import { ApiError } from './errors.js';
import type { SessionOptions, SessionStore } from './sessions.js';

/**
 * The model server as the API reads it: which versions of a model are loaded, how traffic is
 * split, and a version's live evidence. `weft up` passes its controller's LiveServer,
 * `weft serve` the view of its own server (`localLiveView`).
 */
export type ApiLiveServer = Pick<LiveView, 'describe' | 'evidence'>;

/** What the API may ask of a controller running in the same process. */
export interface ApiControllerHooks {
  /** A reconcile pass as soon as possible; of one deployment, or of all when no name is given. */
  requestReconcile(name?: string): void | Promise<void>;
  /** Absent: the controller cannot suspend at runtime, and the API answers 501. */
  suspend?(name: string): void | Promise<void>;
  resume?(name: string): void | Promise<void>;
}

export interface ApiDeps {
  store: MetadataStore;
  /** Where stage logs are read from; without it the log route answers 503. */
  objects?: ObjectStore;
  /** Live traffic and evidence; without it deployments have `live: null` and drift is 503. */
  live?: ApiLiveServer;
  /** Without it reconcile/suspend/resume answer 503 (a `weft serve` has no controller). */
  controller?: ApiControllerHooks;
  sessions?: SessionOptions;
  now?: () => Date;
}

/** What every route handler reads. */
export interface ApiContext {
  store: MetadataStore;
  objects: ObjectStore | undefined;
  live: ApiLiveServer | undefined;
  controller: ApiControllerHooks | undefined;
  sessions: SessionStore;
  now: () => Date;
}

/**
 * An instant from a query parameter: ISO-8601, or milliseconds since the epoch. A bad value is
 * a 400 naming the parameter.
 */
export function readTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) {
    throw new ApiError(
      400,
      `query parameter ${name} must be an ISO-8601 time or milliseconds since the epoch (got "${value}")`,
    );
  }
  return new Date(ms);
}

/** Is this request over TLS (directly, or through a proxy fastify trusts)? */
export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}
