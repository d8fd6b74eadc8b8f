import type { ModelVersion } from '../registry/types.js';
import { describeLiveEvidence } from '../serving/live-evidence.js';
import type { LoadedVersion } from '../serving/loaded-version.js';
import type { ModelServer } from '../serving/server.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import type { LiveServer, LiveView } from './live-server.js';

/** Starts a registry version in the runtime a deployment asks for (not yet in service). */
export type StartVersion = (
  version: ModelVersion,
  deployment: ResolvedDeployment,
) => Promise<LoadedVersion>;

/** What a model server in this process holds and has seen, without changing it. */
export function localLiveView(server: ModelServer): LiveView {
  const loaded = (model: string, version: string) =>
    server.table.models.get(model)?.versions.get(version);
  return {
    describe(model) {
      const entry = server.table.models.get(model);
      return Promise.resolve(
        entry && { versions: new Set(entry.versions.keys()), traffic: entry.traffic },
      );
    },
    evidence(model, version, window, baseline) {
      const info = loaded(model, version)?.info ?? { model, version };
      return Promise.resolve(describeLiveEvidence(server, info, window, baseline));
    },
    shadowStats: (model, version, window) =>
      Promise.resolve(server.shadows.stats(model, version, window)),
  };
}

/** The model server in the controller's own process (`weft up`). */
export function localLiveServer(server: ModelServer, startVersion: StartVersion): LiveServer {
  return {
    ...localLiveView(server),
    async load(version, deployment) {
      server.load(await startVersion(version, deployment), {
        batching: deployment.spec.batching,
      });
    },
    setTraffic(model, traffic) {
      server.setTraffic(model, traffic);
      return Promise.resolve();
    },
    unload: (model, version) => server.unload(model, version),
  };
}
