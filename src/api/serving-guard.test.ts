import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore } from '../registry/types.js';
import { ServingClient } from '../serving/client.js';
import { createModelServer, type ModelServer } from '../serving/server.js';
import { linearModel, loadVersion } from '../serving/testing.js';
import { servingManagementHooks } from './serving-guard.js';
import { createToken } from './tokens.js';

describe("the model server's management routes", () => {
  let dir = '';
  let store: MetadataStore;
  let server: ModelServer;
  let base = '';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-guard-'));
    store = await openMetadataStore({ kind: 'sqlite', path: join(dir, 'weft.db') });
    server = createModelServer({
      loadVersion: (model, version) =>
        loadVersion(model, version ?? '1', linearModel(Number(version ?? 1))),
      managementHooks: servingManagementHooks(store),
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await server.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const tokenOf = async (name: string, scope: 'read' | 'deploy') =>
    (await createToken(store, { name, scope, actor: 'test', at: new Date() }))?.secret ?? '';
  const load = (token?: string) =>
    fetch(`${base}/v2/repository/models/line/load`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ parameters: { version: '1' } }),
    });

  it('stay open while no token exists (a machine of one user)', async () => {
    expect((await load()).status).toBe(200);
  });

  it('need a deploy token once one exists, and audit the change with its name', async () => {
    const reader = await tokenOf('reader', 'read');
    const deployer = await tokenOf('ci-bot', 'deploy');
    const anonymous = await load();
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toMatch(/deploy token/);
    expect((await load('weft_not-a-real-token')).status).toBe(401);
    const readOnly = await load(reader);
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as { error: string }).error).toMatch(/needs the deploy scope/);
    expect((await load(deployer)).status).toBe(200);

    const client = new ServingClient(base, { token: deployer });
    await client.setTraffic('line', { weights: [{ version: '1', weight: 1 }] });
    await expect(new ServingClient(base).setTraffic('line', { weights: [] })).rejects.toThrow(
      /401/,
    );
    await expect
      .poll(async () => (await store.listAudit({ actor: 'ci-bot' })).map((e) => e.action))
      .toEqual(['serving.traffic', 'serving.load']);
  });

  it('leave inference open', async () => {
    await tokenOf('ci-bot', 'deploy');
    server.load(await loadVersion('line', '1', linearModel(1)));
    const answer = await fetch(`${base}/v2/models/line/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [2, 1] }],
      }),
    });
    expect(answer.status).toBe(200);
  });
});
