import type { ModelVersion } from '../registry/types.js';
import type { ShadowStats, TimeWindow } from '../serving/evidence/index.js';
import type { LiveEvidence } from '../serving/live-evidence.js';
import type { TrafficPolicy } from '../serving/model-table.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';

/** What a model server holds for one model: its loaded versions and how traffic is split. */
export interface LiveModel {
  versions: ReadonlySet<string>;
  traffic: TrafficPolicy;
}

/** What a model server holds and has seen: what the controller and the API read. */
export interface LiveView {
  /** undefined when nothing of the model is loaded. */
  describe(model: string): Promise<LiveModel | undefined>;
  /** The version's live evidence; predictions compared with `baseline`'s when given. */
  evidence(
    model: string,
    version: string,
    window: TimeWindow,
    baseline?: string,
  ): Promise<LiveEvidence>;
  shadowStats(model: string, version: string, window: TimeWindow): Promise<ShadowStats>;
}

/**
 * The model server as the controller drives it: in the same process (`weft up`) or over HTTP
 * (`weft up --server URL`, a `weft serve` that outlives the controller).
 */
export interface LiveServer extends LiveView {
  /** Starts a registry version the way the deployment asks and adds it, taking no traffic yet. */
  load(version: ModelVersion, deployment: ResolvedDeployment): Promise<void>;
  setTraffic(model: string, traffic: TrafficPolicy): Promise<void>;
  /** Removes a version once its requests in flight are answered. */
  unload(model: string, version: string): Promise<void>;
}
