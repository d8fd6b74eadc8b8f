import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore } from '../registry/types.js';
import { createModelServer, type ModelServer } from '../serving/server.js';
import { localLiveView } from '../controller/local-live-server.js';
import { registerApiRoutes } from './routes.js';
import { createToken } from './tokens.js';

/** The API mounted on the model server, as `weft serve` and `weft up` will mount it. */
describe('the API on the model server', () => {
  let dir = '';
  let store: MetadataStore;
  let server: ModelServer;
  let base = '';
  let headers: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-api-serve-'));
    store = await openMetadataStore({ kind: 'sqlite', path: join(dir, 'weft.db') });
    const created = await createToken(store, {
      name: 'ops',
      scope: 'read',
      actor: 't',
      at: new Date(),
    });
    headers = { authorization: `Bearer ${created?.secret ?? ''}` };
    server = createModelServer();
    await registerApiRoutes(server.app, { store, live: localLiveView(server) });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers both the API and the inference protocol, each with its own errors', async () => {
    expect((await fetch(`${base}/api/v1/runs`, { headers })).status).toBe(200);
    expect((await fetch(`${base}/v2/health/live`)).status).toBe(200);
    const apiMissing = await fetch(`${base}/api/v1/nothing`, { headers });
    expect(await apiMissing.json()).toEqual({ error: 'no such endpoint: GET /api/v1/nothing' });
    const oipMissing = await fetch(`${base}/v2/models/none/ready`);
    expect(oipMissing.status).toBe(404);
  });

  it('documents only the API in its OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.every((path) => path.startsWith('/api/v1/'))).toBe(true);
  });

  it("reads live traffic and evidence from the server's own tables", async () => {
    await store.writeStatus(
      'ModelDeployment',
      'penguins',
      { conditions: [], served: { model: 'penguins', version: '1', digest: 'sha256:x' } },
      new Date(),
    );
    const detail = (await (
      await fetch(`${base}/api/v1/deployments/penguins`, { headers })
    ).json()) as {
      live: unknown;
    };
    expect(detail.live).toBeNull();
    const drift = (await (
      await fetch(`${base}/api/v1/deployments/penguins/drift`, { headers })
    ).json()) as { served: { requests: { requests: number } }; canary: unknown };
    expect(drift.served.requests.requests).toBe(0);
    expect(drift.canary).toBeNull();
  });
});
