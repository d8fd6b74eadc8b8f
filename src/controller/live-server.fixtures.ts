import { ServingClient } from '../serving/client.js';
import { createModelServer, type ModelServer } from '../serving/server.js';
import { linearModel, loadVersion } from '../serving/testing.js';
import type { LiveServer } from './live-server.js';
import { localLiveServer } from './local-live-server.js';
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
