import type {
  EvidenceStore,
  FeatureDrift,
  InputDriftReport,
  OnlineAccuracy,
  RequestLog,
  RequestStats,
  TimeWindow,
} from './evidence/index.js';
import type { VersionInfo } from './loaded-version.js';

/** What a rollout analysis reads about one served version over a window. */
export interface LiveEvidence {
  model: string;
  version: string;
  window: TimeWindow;
  requests: RequestStats;
  onlineAccuracy: OnlineAccuracy;
  /** Against the version's reference data; null when it has none. */
  inputDrift: InputDriftReport | null;
  /** Against the baseline version's predictions; null without a baseline or labels. */
  predictionDrift: FeatureDrift | null;
}

/** One description for the evidence endpoint and for a controller in the same process. */
export function describeLiveEvidence(
  logs: { requests: RequestLog; evidence: EvidenceStore },
  info: Pick<VersionInfo, 'model' | 'version' | 'reference'>,
  window: TimeWindow,
  baseline?: string,
): LiveEvidence {
  const { model, version, reference } = info;
  return {
    model,
    version,
    window,
    requests: logs.requests.stats(model, version, window),
    onlineAccuracy: logs.evidence.onlineAccuracy(model, version, window),
    inputDrift: reference ? logs.evidence.inputDrift(model, version, reference, window) : null,
    predictionDrift: baseline
      ? logs.evidence.predictionDrift(model, baseline, version, window)
      : null,
  };
}
