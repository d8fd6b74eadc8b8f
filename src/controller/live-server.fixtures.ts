import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetadataStore } from '../registry/index.js';
import { digestOf, sampleModelVersion } from '../registry/metadata-store.fixtures.js';
import type { MetadataStore } from '../registry/types.js';
import { ServingClient } from '../serving/client.js';
import { createModelServer, type ModelServer } from '../serving/server.js';
import { linearModel, loadVersion } from '../serving/testing.js';
import type { LiveServer } from './live-server.js';
import { localLiveServer } from './local-live-server.js';
import type { DeploymentContext } from './reconcile-deployment.js';
import { remoteLiveServer } from './remote-live-server.js';

export type LiveServerKind = 'in process' | 'over HTTP';
export const LIVE_SERVER_KINDS: LiveServerKind[] = ['in process', 'over HTTP'];

/**
 * A model server whose version N of any model is a linear model scaling by N, driven the way
 * `kind` says: directly, or through its HTTP API on loopback (as `weft up --server` does).
 */
export async function startLiveServer(
  kind: LiveServerKind,
): Promise<{ server: ModelServer; live: LiveServer }> {
  const start = (model: string, version: string) =>
    loadVersion(model, version, linearModel(Number(version)));
  if (kind === 'in process') {
    const server = createModelServer();
    const live = localLiveServer(server, (version) => start(version.name, String(version.version)));
    return { server, live };
  }
  const server = createModelServer({
    loadVersion: (model, version) => start(model, version ?? '1'),
  });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, live: remoteLiveServer(new ServingClient(address)) };
}

/** What a reconcile of a deployment runs against in a test, and how to take it all down. */
export interface ReconcileFixture {
  metadata: MetadataStore;
  server: ModelServer;
  context: DeploymentContext;
  close(): Promise<void>;
}

/**
 * A SQLite registry in a temp folder holding versions 1 and 2 of model `line`, a live server of
 * `kind`, and the context reconciles of `revision` run with, the clock reading `now()`.
 */
export async function startReconcileFixture(
  kind: LiveServerKind,
  revision: string,
  now: () => Date,
): Promise<ReconcileFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-reconcile-'));
  const metadata = await openMetadataStore({ kind: 'sqlite', path: join(dir, 'weft.db') });
  const removeAll = async (): Promise<void> => {
    await metadata.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const n of [1, 2]) {
      await metadata.registerModelVersion(
        sampleModelVersion({ name: 'line', digest: digestOf(`v${n}`) }),
      );
    }
    const { server, live } = await startLiveServer(kind);
    const context = { metadata, server: live, revision, now };
    const close = async (): Promise<void> => {
      await server.close();
      await removeAll();
    };
    return { metadata, server, context, close };
  } catch (error) {
    await removeAll();
    throw error;
  }
}
