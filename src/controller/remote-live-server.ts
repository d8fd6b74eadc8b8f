import { WeftError } from '../core/errors.js';
import type { ServingClient } from '../serving/client.js';
import type { LiveServer } from './live-server.js';

/**
 * A `weft serve` in another process, driven over its HTTP API, so the controller can stop,
 * crash or restart while the models keep serving. The server loads versions from the registry
 * it shares with the controller; it batches as it was started to.
 */
export function remoteLiveServer(client: ServingClient): LiveServer {
  return {
    async describe(model) {
      // One model's metadata, not the whole repository index: a pass asks once per deployment.
      const [loaded, traffic] = await Promise.all([
        client.loadedVersions(model),
        client.traffic(model),
      ]);
      return loaded?.length
        ? { versions: new Set(loaded), traffic: traffic ?? { weights: [] } }
        : undefined;
    },
    async load(version, deployment) {
      if (deployment.spec.runtime.kind === 'external') {
        throw new WeftError(
          'USAGE',
          `failed to load ${version.name}@${version.version}: an external runtime starts a process, which a controller does not ask a remote server to do; run it with weft up (no --server)`,
        );
      }
      await client.load(version.name, String(version.version));
    },
    setTraffic: (model, traffic) => client.setTraffic(model, traffic),
    unload: (model, version) => client.unload(model, version),
    evidence: (model, version, window, baseline) =>
      client.evidence(model, version, window, baseline),
    shadowStats: (model, version, window) => client.shadowStats(model, version, window),
  };
}
