/** What is kept about one model version: a sample of its rows and its labelled outcomes. */
import { WeftError } from '../../core/errors.js';
import { AccuracyLog } from './accuracy-log.js';
import { ReservoirSample, type Timestamped } from './reservoir-sample.js';
import type { FeatureRow, NumericMatrix, PredictionInputs, PredictionRecord } from './types.js';

export interface SampledRow {
  inputs: FeatureRow;
  /** The predicted label as a string; null when the request carried none. */
  predicted: string | null;
}

export class VersionEvidence {
  readonly sample: ReservoirSample<SampledRow>;
  readonly accuracy: AccuracyLog;

  constructor(sampleCapacity: number, accuracyCapacity: number, seed: number) {
    this.sample = new ReservoirSample(sampleCapacity, seed);
    this.accuracy = new AccuracyLog(accuracyCapacity);
  }

  /** Offers every row of the request to the sample; returns the predicted labels as strings. */
  offerRows(record: PredictionRecord): string[] | null {
    const rows = rowCount(record.inputs);
    const predicted = record.predictedLabels?.map(String) ?? null;
    if (predicted !== null && predicted.length !== rows) {
      throw new WeftError(
        'USAGE',
        `failed to record prediction ${record.requestId}: ${predicted.length} labels for ${rows} rows`,
      );
    }
    for (let row = 0; row < rows; row++) {
      this.sample.offer(record.at, () => ({
        inputs: rowAt(record.inputs, row),
        predicted: predicted?.[row] ?? null,
      }));
    }
    return predicted;
  }
}

function isMatrix(inputs: PredictionInputs): inputs is NumericMatrix {
  return !Array.isArray(inputs);
}

function rowCount(inputs: PredictionInputs): number {
  if (!isMatrix(inputs)) return inputs.length;
  const width = inputs.columns.length;
  if (width === 0 || inputs.values.length % width !== 0) {
    throw new WeftError(
      'USAGE',
      `failed to read the input matrix: ${inputs.values.length} values do not fill rows of ${width} columns`,
    );
  }
  return inputs.values.length / width;
}

function rowAt(inputs: PredictionInputs, row: number): FeatureRow {
  if (!isMatrix(inputs)) return { ...inputs[row]! };
  const width = inputs.columns.length;
  return Object.fromEntries(
    inputs.columns.map((name, i) => [name, inputs.values[row * width + i]!]),
  );
}

/** A numeric feature's finite values across sampled rows. */
export function numericValues(rows: Timestamped<SampledRow>[], feature: string): number[] {
  const values: number[] = [];
  for (const { value } of rows) {
    const x = value.inputs[feature];
    if (typeof x === 'number' && Number.isFinite(x)) values.push(x);
  }
  return values;
}

/** A categorical feature's values, as strings, across sampled rows that have it. */
export function categoryValues(rows: Timestamped<SampledRow>[], feature: string): string[] {
  const values: string[] = [];
  for (const { value } of rows) {
    const x = value.inputs[feature];
    if (x !== undefined) values.push(String(x));
  }
  return values;
}
