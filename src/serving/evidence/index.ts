/** Live evidence for rollouts: online accuracy from feedback, input and prediction drift. */
export { EvidenceStore, type EvidenceStoreOptions } from './evidence-store.js';
export { RequestLog, type RequestOutcome, type RequestStats } from './request-log.js';
export { ShadowLog, type ShadowOutcome, type ShadowStats } from './shadow-log.js';
export type {
  FeatureRow,
  FeatureValue,
  FeedbackRejection,
  FeedbackResult,
  InputDriftReport,
  Label,
  NumericMatrix,
  OnlineAccuracy,
  PredictionInputs,
  PredictionRecord,
  ReferenceData,
  TimeWindow,
} from './types.js';
export {
  categoricalDrift,
  DRIFT_THRESHOLDS,
  driftTest,
  numericDrift,
  SMALL_REFERENCE_ROWS,
  type DriftMethod,
  type FeatureDrift,
  type FeatureKind,
} from './drift-test.js';
export { countCategories, type CategoryCounts } from './category-counts.js';
export { chiSquared, type ChiSquaredResult } from './chi-squared.js';
export { jensenShannon } from './jensen-shannon.js';
export { ksTwoSample, type KsResult } from './ks-two-sample.js';
export { psi, type PsiOptions } from './psi.js';
export { ReservoirSample, type Timestamped } from './reservoir-sample.js';
