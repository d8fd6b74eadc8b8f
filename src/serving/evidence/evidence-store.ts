/**
 * The live evidence a rollout is judged on, one store per server: every served request is
 * offered to its version's reservoir sample (input and prediction drift) and, when it has
 * predicted labels, waits for feedback by request id (online accuracy). Memory is bounded:
 * `maxPending` predictions awaiting feedback for at most `retentionMs`, `reservoirCapacity`
 * sampled rows and `maxOutcomes` labelled requests per version. Time is whatever the caller
 * passes as `at`; nothing here reads a clock.
 */
import { categoricalDrift, numericDrift, type FeatureDrift } from './drift-test.js';
import { PendingFeedback } from './pending-feedback.js';
import type {
  FeedbackResult,
  InputDriftReport,
  Label,
  OnlineAccuracy,
  PredictionRecord,
  ReferenceData,
  TimeWindow,
} from './types.js';
import { categoryValues, numericValues, VersionEvidence } from './version-evidence.js';

export interface EvidenceStoreOptions {
  /** Predictions awaiting feedback; the oldest is dropped first. Default 100 000. */
  maxPending?: number;
  /** How long a prediction waits for feedback. Default 24 h. */
  retentionMs?: number;
  /** Sampled rows per version. Default 2000. */
  reservoirCapacity?: number;
  /** Labelled requests per version kept for accuracy. Default 100 000. */
  maxOutcomes?: number;
  /** Seeds every version's sample. Default 1. */
  seed?: number;
}

const DEFAULTS: Required<EvidenceStoreOptions> = {
  maxPending: 100_000,
  retentionMs: 24 * 60 * 60 * 1000,
  reservoirCapacity: 2000,
  maxOutcomes: 100_000,
  seed: 1,
};

export class EvidenceStore {
  private readonly options: Required<EvidenceStoreOptions>;
  private readonly pending: PendingFeedback<VersionEvidence>;
  private readonly versions = new Map<string, Map<string, VersionEvidence>>();

  constructor(options: EvidenceStoreOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.pending = new PendingFeedback(this.options.maxPending, this.options.retentionMs);
  }

  /** @throws WeftError USAGE when the labels do not match the rows one for one. */
  recordPrediction(record: PredictionRecord): void {
    const evidence = this.evidenceFor(record.model, record.version, true);
    const predicted = evidence.offerRows(record);
    if (predicted === null) return;
    this.pending.add(record.requestId, { servedAt: record.at, predicted, target: evidence });
  }

  /** The first feedback for an id counts; later ones are reported as duplicates and ignored. */
  recordFeedback(requestId: string, labels: readonly Label[], at: number): FeedbackResult {
    const found = this.pending.lookup(requestId, at);
    if (found.status === 'unknown') return { matched: false, reason: 'unknown-or-expired' };
    if (found.status === 'answered') return { matched: false, reason: 'duplicate' };
    const { prediction } = found;
    const predicted = prediction.predicted!;
    if (labels.length !== predicted.length) {
      return { matched: false, reason: 'label-count-mismatch' };
    }
    const correct = predicted.filter((label, row) => label === String(labels[row])).length;
    prediction.target.accuracy.add(prediction.servedAt, correct, predicted.length);
    this.pending.settle(prediction);
    return { matched: true, correct, total: predicted.length };
  }

  /** Labelled rows of the version's predictions served inside the window. */
  onlineAccuracy(model: string, version: string, window: TimeWindow): OnlineAccuracy {
    const evidence = this.evidenceFor(model, version, false);
    return evidence?.accuracy.within(window) ?? { correct: 0, total: 0, accuracy: null };
  }

  /** Each reference feature against the version's sampled inputs served inside the window. */
  inputDrift(
    model: string,
    version: string,
    reference: ReferenceData,
    window: TimeWindow,
  ): InputDriftReport {
    const rows = this.sampleWithin(model, version, window);
    const report: InputDriftReport = { sampleSize: rows.length, features: {}, skipped: [] };
    for (const [feature, values] of Object.entries(reference.numeric ?? {})) {
      const referenceValues = Array.from(values).filter(Number.isFinite);
      const current = numericValues(rows, feature);
      if (referenceValues.length === 0 || current.length === 0) report.skipped.push(feature);
      else report.features[feature] = numericDrift(referenceValues, current);
    }
    for (const [feature, values] of Object.entries(reference.categorical ?? {})) {
      const current = categoryValues(rows, feature);
      if (values.length === 0 || current.length === 0) report.skipped.push(feature);
      else report.features[feature] = categoricalDrift(values, current);
    }
    return report;
  }

  /**
   * Whether `candidate` predicts labels in other proportions than `baseline` did over the same
   * window, on both versions' samples; null when either has no predicted label there.
   */
  predictionDrift(
    model: string,
    baseline: string,
    candidate: string,
    window: TimeWindow,
  ): FeatureDrift | null {
    const labels = (version: string): string[] =>
      this.sampleWithin(model, version, window).flatMap(({ value }) =>
        value.predicted === null ? [] : [value.predicted],
      );
    const [reference, current] = [labels(baseline), labels(candidate)];
    if (reference.length === 0 || current.length === 0) return null;
    return categoricalDrift(reference, current);
  }

  /** Drops a version's sample and outcomes, e.g. once it is no longer served. */
  forgetVersion(model: string, version: string): void {
    this.versions.get(model)?.delete(version);
  }

  private sampleWithin(model: string, version: string, window: TimeWindow) {
    return (
      this.evidenceFor(model, version, false)?.sample.sampleWithin(window.from, window.to) ?? []
    );
  }

  private evidenceFor(model: string, version: string, create: true): VersionEvidence;
  private evidenceFor(model: string, version: string, create: false): VersionEvidence | undefined;
  private evidenceFor(model: string, version: string, create: boolean) {
    let byVersion = this.versions.get(model);
    let evidence = byVersion?.get(version);
    if (evidence !== undefined || !create) return evidence;
    byVersion ??= new Map();
    this.versions.set(model, byVersion);
    const { reservoirCapacity, maxOutcomes, seed } = this.options;
    evidence = new VersionEvidence(reservoirCapacity, maxOutcomes, seed);
    byVersion.set(version, evidence);
    return evidence;
  }
}
