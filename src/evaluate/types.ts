/**
 * Shapes shared by offline evaluation, gates and reports. Everything here is plain JSON so an
 * evaluation can be stored with a model version and read back by the report and the API.
 */

/** A value with its bootstrap confidence interval (percentile method). */
export interface Estimate {
  value: number;
  /** [lower, upper] at `level` (e.g. 0.95); null when it could not be estimated. */
  interval: [number, number] | null;
  level: number;
}

/** What a classifier said for each row, in row order. Classes are indices into `classes`. */
export interface ClassificationPredictions {
  task: 'classification';
  /** Class names; index i is the model's class i. */
  classes: string[];
  actual: Int32Array;
  predicted: Int32Array;
  /** Row-major, rows x classes.length; absent when the model outputs labels only. */
  probabilities: Float64Array | null;
}

export interface RegressionPredictions {
  task: 'regression';
  actual: Float64Array;
  predicted: Float64Array;
}

export type Predictions = ClassificationPredictions | RegressionPredictions;

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

/** One bin of a reliability diagram (uniform bins over [0, 1]; empty bins are left out). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability of the rows in the bin. */
  meanPredicted: number;
  /** Share of those rows that really were positive (or correct, for multiclass). */
  fractionPositive: number;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

export interface ClassificationMetrics {
  task: 'classification';
  rows: number;
  accuracy: number;
  /**
   * Binary: of the positive class. Multiclass: unweighted mean over classes (sklearn
   * `average='macro'`).
   */
  precision: number;
  recall: number;
  f1: number;
  perClass: Record<string, ClassMetrics>;
  /**
   * Class names in `confusionMatrix` order. `perClass` cannot carry that order: keys that look
   * like integers ("10", "2") always enumerate first, in numeric order.
   */
  classes: string[];
  /** Binary: of the positive class; multiclass: macro one-vs-rest. Null without probabilities or with one class present. */
  rocAuc: number | null;
  /** Null without probabilities. Clipped at float64 epsilon and renormalised per row, as sklearn 1.2 does. */
  logLoss: number | null;
  /** confusionMatrix[actual][predicted], in `classes` order. */
  confusionMatrix: number[][];
  /** Binary: P(positive) vs positive; multiclass: top-class confidence vs correct. Empty without probabilities. */
  calibration: CalibrationBin[];
  /** ROC curve of the positive class (binary) or of each class one-vs-rest (multiclass), for plots. */
  roc: Record<string, RocPoint[]>;
}

export interface RegressionMetrics {
  task: 'regression';
  rows: number;
  rmse: number;
  mae: number;
  r2: number;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

/** Metrics of the rows where one sensitive attribute has one value. */
export interface GroupMetrics {
  /** The attribute's value in the dataset, as text. */
  group: string;
  rows: number;
  metrics: Metrics;
  /** Classification: share of the group predicted as the positive class. Regression: mean prediction. */
  selectionRate: number;
  /** Classification only: P(pred positive | actual positive) and P(pred positive | actual negative). Null when the group has no such rows. */
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
}

/** Fairness of one sensitive attribute: per-group metrics and the gaps between groups. */
export interface AttributeFairness {
  attribute: string;
  /** For classification, the class whose selection rate the gaps compare. */
  positiveClass: string | null;
  groups: GroupMetrics[];
  /** max - min of the groups' selection rates (Fairlearn's demographic_parity_difference). */
  demographicParityDifference: Estimate;
  /** min / max of the groups' selection rates (1 when all are 0). */
  demographicParityRatio: Estimate;
  /** Classification: max of the TPR gap and the FPR gap (Fairlearn's equalized_odds_difference). Null for regression. */
  equalizedOddsDifference: Estimate | null;
  /** max - min of the groups' accuracy (classification) or RMSE (regression). */
  metricGap: Estimate;
}

export interface FeatureImportance {
  feature: string;
  /** Mean drop of the score when the feature's column is shuffled (higher = more important). */
  mean: number;
  std: number;
  /** One drop per repeat. */
  drops: number[];
}

export interface PermutationImportance {
  /** Score that was permuted against: accuracy for classification, r2 for regression. */
  scoring: string;
  baseline: number;
  repeats: number;
  seed: number;
  /** Sorted by mean drop, most important first. */
  features: FeatureImportance[];
}

export interface EvaluatedModel {
  name: string;
  version: number;
  digest: string;
}

/** Everything `weft evaluate` learnt about one model version on one dataset. */
export interface EvaluationResult {
  model: EvaluatedModel;
  dataset: { path: string; digest: string; rows: number };
  label: string;
  features: string[];
  metrics: Metrics;
  fairness: AttributeFairness[];
  importance: PermutationImportance | null;
  /** Wall time of the evaluation and the part spent inside ONNX Runtime. */
  timing: { totalMs: number; inferenceMs: number };
  evaluatedAt: string;
}

export type GateKind = 'min' | 'max' | 'noWorseThan' | 'reproducible';

/** The verdict of one gate of `spec.gates`. */
export interface GateVerdict {
  /** How the gate reads, e.g. `accuracy >= 0.9` or `accuracy no worse than production - 0.01`. */
  gate: string;
  kind: GateKind;
  metric: string | null;
  passed: boolean;
  /** The candidate's value of the metric. */
  value: number | null;
  /** The value it had to reach (for noWorseThan: the baseline's value with tolerance applied). */
  threshold: number | null;
  baseline: { ref: string; version: number; value: number | null } | null;
  /** One sentence saying why it passed or failed. */
  message: string;
}

export interface ValidationResult {
  model: EvaluatedModel;
  /** The version `noWorseThan` gates compared with, if any. */
  baseline: (EvaluatedModel & { ref: string }) | null;
  passed: boolean;
  gates: GateVerdict[];
  validatedAt: string;
}

/** What `weft report` renders: the verdicts and the evidence behind them. */
export interface ReportInput {
  validation: ValidationResult;
  candidate: EvaluationResult;
  /** The baseline evaluated on the same dataset, when a gate named one. */
  baseline: EvaluationResult | null;
  /** Params of the candidate and baseline (dotted path -> value); only differences are shown. */
  params: { candidate: Record<string, unknown>; baseline: Record<string, unknown> | null };
  /** One line per step of the candidate's lineage, e.g. `commit 1a2b3c4 -> data/train.csv (sha256:…)`. */
  lineage: string[];
  /** Commit the candidate was built from, if known. */
  commit: string | null;
}
