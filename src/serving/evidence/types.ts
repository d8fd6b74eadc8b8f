/** Shapes of the live evidence a rollout is judged on: what the server records, what analysis reads. */
import type { FeatureDrift } from './drift-test.js';

/** A class label or a regression value; compared as strings (1 and "1" are the same label). */
export type Label = number | string;
export type FeatureValue = number | string;
export type FeatureRow = Readonly<Record<string, FeatureValue>>;

/** A batch of numeric rows, row-major: values.length = rows × columns.length. */
export interface NumericMatrix {
  columns: readonly string[];
  values: ArrayLike<number>;
}

export type PredictionInputs = readonly FeatureRow[] | NumericMatrix;

/** One answered inference request. */
export interface PredictionRecord {
  /** The id the response carried; feedback names it. */
  requestId: string;
  model: string;
  version: string;
  /** When it was served, ms since the epoch. */
  at: number;
  inputs: PredictionInputs;
  /** One per input row. Without them the request is sampled for drift but awaits no feedback. */
  predictedLabels?: readonly Label[];
}

export type FeedbackResult =
  { matched: true; correct: number; total: number } | { matched: false; reason: FeedbackRejection };

/**
 * - `unknown-or-expired`: no prediction with that id, or it was evicted (too old, or pushed out by
 *   `maxPending` newer ones);
 * - `duplicate`: the id already had feedback; the first answer stands;
 * - `label-count-mismatch`: not one label per predicted row; the prediction still waits.
 */
export type FeedbackRejection = 'unknown-or-expired' | 'duplicate' | 'label-count-mismatch';

/** Inclusive at both ends, ms since the epoch. */
export interface TimeWindow {
  from: number;
  to: number;
}

export interface OnlineAccuracy {
  correct: number;
  total: number;
  /** correct / total; null when no feedback falls in the window. */
  accuracy: number | null;
}

/** The training or evaluation data the live inputs are compared with, by feature. */
export interface ReferenceData {
  numeric?: Readonly<Record<string, ArrayLike<number>>>;
  categorical?: Readonly<Record<string, readonly string[]>>;
}

export interface InputDriftReport {
  /** Sampled rows of the version inside the window. */
  sampleSize: number;
  features: Record<string, FeatureDrift>;
  /** Reference features with no usable value in the reference or in the window's sample. */
  skipped: string[];
}
