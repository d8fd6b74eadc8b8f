import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore, TokenScope } from '../registry/types.js';
import { openObjectStore, type ObjectStore } from '../store/index.js';
import type { ApiDeps } from './context.js';
import { registerApiRoutes } from './routes.js';
import { createToken } from './tokens.js';

/** A running API on 127.0.0.1 over a fresh SQLite store, with one token per scope. */
export interface TestApi {
  url: string;
  /** The SQLite file and object store behind it, for a CLI pointed at the same data. */
  databasePath: string;
  storeDir: string;
  app: FastifyInstance;
  store: MetadataStore;
  objects: ObjectStore;
  /** Secrets by scope: `read`, `deploy`, `admin`. */
  secrets: Record<TokenScope, string>;
  /** fetch against the API with a bearer token (none: unauthenticated). */
  call(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** GET and parse JSON with the read token, failing on anything but 200. */
  get<T = unknown>(path: string, token?: string): Promise<T>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  deps?: Partial<ApiDeps>;
  fastify?: FastifyServerOptions;
  /** Called on the fastify instance before the API is registered (e.g. to watch routes). */
  before?: (app: FastifyInstance) => void;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-api-'));
  const [databasePath, storeDir] = [join(dir, 'weft.db'), join(dir, 'store')];
  const store = await openMetadataStore({ kind: 'sqlite', path: databasePath });
  const objects = await openObjectStore(storeDir);
  const secrets = {} as Record<TokenScope, string>;
  for (const scope of ['read', 'deploy', 'admin'] as const) {
    const created = await createToken(store, {
      name: `${scope}-bot`,
      scope,
      actor: 'test',
      at: new Date(),
    });
    if (!created) throw new Error('token name taken');
    secrets[scope] = created.secret;
  }
  const app = Fastify(options.fastify);
  options.before?.(app);
  await registerApiRoutes(app, { store, objects, ...options.deps });
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token = secrets.read, headers, ...rest } = init;
    return fetch(`${url}${path}`, {
      ...rest,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(rest.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(headers as Record<string, string> | undefined),
      },
    });
  };
  return {
    url,
    databasePath,
    storeDir,
    app,
    store,
    objects,
    secrets,
    call,
    async get<T>(path: string, token?: string): Promise<T> {
      const response = await call(path, { token: token ?? secrets.read });
      if (response.status !== 200) {
        throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      }
      return (await response.json()) as T;
    },
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Walks a list from its first page (or from `cursor`) to its last, returning every page. */
export async function walkPages<T>(
  api: TestApi,
  path: string,
  options: { token?: string; cursor?: string | null } = {},
): Promise<Array<{ items: T[]; nextCursor: string | null }>> {
  const pages: Array<{ items: T[]; nextCursor: string | null }> = [];
  let cursor = options.cursor ?? null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url = cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`;
    const page: { items: T[]; nextCursor: string | null } = await api.get(url, options.token);
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 1000) throw new Error(`${path}: the pages never end`);
  } while (cursor !== null);
  return pages;
}
