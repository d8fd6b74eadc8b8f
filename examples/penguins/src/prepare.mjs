// Stage `prepare`: data/penguins.csv -> data/train.csv + data/test.csv + data/eval.csv.
//
// Drops rows with a missing value, then splits each species separately (stratified) after a
// seeded shuffle, so the split is the same on every machine and every class is in both sets.
// It works on CSV lines rather than parsed values so the output rows are the input rows verbatim.
// data/eval.csv is the test set as the model reads it (encoded features, plus the label and the
// sensitive attribute): `weft evaluate` feeds its feature columns straight to the ONNX model.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FEATURE_NAMES, LABEL, encodeFeatures } from './features.mjs';

const SOURCE = 'data/penguins.csv';
const TRAIN = 'data/train.csv';
const TEST = 'data/test.csv';
const EVAL = 'data/eval.csv';
const SENSITIVE = 'sex';

/**
 * mulberry32: a tiny 32-bit seeded PRNG. Math.random cannot be seeded, and the split must not
 * change between runs or weft could never restore the stages after it from the cache.
 */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle of a copy of `items`. */
function shuffle(items, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function readParams() {
  const { prepare } = parse(await readFile('params.yaml', 'utf8'));
  const { seed, test_ratio: testRatio } = prepare ?? {};
  if (!Number.isInteger(seed)) throw new Error(`params.yaml: prepare.seed must be an integer`);
  if (!(testRatio > 0 && testRatio < 1)) {
    throw new Error(`params.yaml: prepare.test_ratio must be between 0 and 1, got ${testRatio}`);
  }
  return { seed, testRatio };
}

/** Splits rows into train and test, `testRatio` of each species into test. */
function splitStratified(rows, labelIndex, testRatio, random) {
  const bySpecies = new Map();
  for (const row of rows) {
    const label = row.split(',')[labelIndex];
    bySpecies.set(label, [...(bySpecies.get(label) ?? []), row]);
  }
  const train = [];
  const test = [];
  // Sorted so the order of the output does not depend on the order of the source file's classes.
  for (const label of [...bySpecies.keys()].sort()) {
    const shuffled = shuffle(bySpecies.get(label), random);
    const nTest = Math.round(shuffled.length * testRatio);
    test.push(...shuffled.slice(0, nTest));
    train.push(...shuffled.slice(nTest));
  }
  return { train, test };
}

/** The rows as the model reads them: one column per feature, then the label and the group. */
function encodeForEvaluation(header, lines) {
  const columns = header.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    const row = Object.fromEntries(columns.map((column, i) => [column, cells[i]]));
    return [...encodeFeatures(row), row[LABEL], row[SENSITIVE]].join(',');
  });
  return [[...FEATURE_NAMES, LABEL, SENSITIVE].join(','), ...rows].join('\n') + '\n';
}

async function main() {
  const { seed, testRatio } = await readParams();
  const [header, ...lines] = (await readFile(SOURCE, 'utf8')).split(/\r?\n/);
  const labelIndex = header.split(',').indexOf('species');
  if (labelIndex < 0) throw new Error(`${SOURCE}: no "species" column in header "${header}"`);

  // An empty cell is a missing value (the CSV has no quoted fields, so a plain split is exact).
  const rows = lines.filter((line) => line !== '');
  const complete = rows.filter((line) => !line.split(',').includes(''));
  const { train, test } = splitStratified(complete, labelIndex, testRatio, createRandom(seed));

  await mkdir('data', { recursive: true });
  await writeFile(TRAIN, [header, ...train].join('\n') + '\n');
  await writeFile(TEST, [header, ...test].join('\n') + '\n');
  await writeFile(EVAL, encodeForEvaluation(header, test));
  console.log(
    `prepare: ${rows.length} rows, ${rows.length - complete.length} dropped (missing values), ` +
      `train ${train.length}, test ${test.length}`,
  );
}

await main();
