// Feature encoding shared by `train` and `evaluate`, so both see the same columns in the same
// order. Both stages list this file as a dep: changing it re-runs them.
//
// The model takes RAW values (no scaling) in FEATURE_NAMES order; the standardisation learnt
// from the training set is baked into the ONNX graph (Sub mean, Div std), so whoever serves the
// model needs no preprocessing code. `sex` is the sensitive attribute: it is kept in the data
// to measure accuracy per group, and deliberately NOT used as a feature.
import { readFile } from 'node:fs/promises';

export const LABEL = 'species';
/** Output order of the model's probabilities; index i is class CLASSES[i]. */
export const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];

const NUMERIC = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];

/** Column order of the model input `features`. */
export const FEATURE_NAMES = [...NUMERIC, ...ISLANDS.map((island) => `island_${island}`)];

/**
 * Reads a CSV with a header line into objects of strings. The example's data has no quoted
 * fields or embedded commas, so splitting on commas is exact here.
 */
export async function readCsv(path) {
  const [header, ...lines] = (await readFile(path, 'utf8')).split(/\r?\n/).filter(Boolean);
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

/** One row's raw feature vector, in FEATURE_NAMES order. */
export function encodeFeatures(row) {
  const numeric = NUMERIC.map((name) => {
    const value = Number(row[name]);
    if (row[name] === '' || !Number.isFinite(value)) {
      throw new Error(`feature ${name} is not a number: "${row[name]}"`);
    }
    return value;
  });
  if (!ISLANDS.includes(row.island)) throw new Error(`unknown island "${row.island}"`);
  const islands = ISLANDS.map((island) => (row.island === island ? 1 : 0));
  return [...numeric, ...islands];
}

/** Index of the row's species in CLASSES. */
export function encodeLabel(row) {
  const index = CLASSES.indexOf(row[LABEL]);
  if (index < 0) throw new Error(`unknown ${LABEL} "${row[LABEL]}"`);
  return index;
}

/**
 * Mean and (population) standard deviation of each numeric column of the TRAINING rows.
 * One-hot columns get mean 0 and std 1 so the graph's Sub/Div leave them unchanged.
 */
export function fitScaler(features) {
  const width = FEATURE_NAMES.length;
  const mean = new Array(width).fill(0);
  const std = new Array(width).fill(1);
  for (let j = 0; j < NUMERIC.length; j++) {
    const column = features.map((x) => x[j]);
    mean[j] = column.reduce((sum, v) => sum + v, 0) / column.length;
    const variance = column.reduce((sum, v) => sum + (v - mean[j]) ** 2, 0) / column.length;
    // A constant column would divide by zero; leave it unscaled instead.
    std[j] = Math.sqrt(variance) || 1;
  }
  return { mean, std };
}

/** Applies a scaler from fitScaler: (x - mean) / std per column. */
export function standardize(features, { mean, std }) {
  return features.map((x) => x.map((v, j) => (v - mean[j]) / std[j]));
}
