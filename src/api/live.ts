import { describeLiveEvidence } from '../serving/live-evidence.js';
import type { ModelServer } from '../serving/server.js';
import type { ApiLiveServer } from './context.js';

/**
 * The API's view of a model server in the same process (`weft serve`); `weft up` can pass its
 * controller's LiveServer instead, which has the same two methods.
 */
export function liveServerOf(server: ModelServer): ApiLiveServer {
  return {
    describe(model) {
      const entry = server.table.models.get(model);
      return Promise.resolve(
        entry && { versions: new Set(entry.versions.keys()), traffic: entry.traffic },
      );
    },
    evidence(model, version, window, baseline) {
      const info = server.table.models.get(model)?.versions.get(version)?.info ?? {
        model,
        version,
      };
      return Promise.resolve(describeLiveEvidence(server, info, window, baseline));
    },
  };
}
