// Stage `evaluate`: model/model.onnx + data/test.csv -> metrics.json.
//
// Runs the ONNX file through ONNX Runtime, the same runtime that serves it, so the metrics
// describe the artifact that ships and not the JavaScript that trained it. Accuracy is also
// reported per value of the sensitive attribute `sex`, which the model never sees as a feature.
import { readFile, writeFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { CLASSES, FEATURE_NAMES, encodeFeatures, encodeLabel, readCsv } from './features.mjs';

const MODEL = 'model/model.onnx';
const SENSITIVE = 'sex';

/** Fails early if the model was trained on other columns than features.mjs now encodes. */
async function checkModelColumns() {
  const model = onnxProto.onnx.ModelProto.decode(await readFile(MODEL));
  const metadata = Object.fromEntries(model.metadataProps.map(({ key, value }) => [key, value]));
  const expected = JSON.stringify(FEATURE_NAMES);
  if (metadata.feature_names !== expected) {
    throw new Error(`${MODEL} expects features ${metadata.feature_names}, not ${expected}`);
  }
}

async function predict(rows) {
  const session = await InferenceSession.create(MODEL);
  const features = Float32Array.from(rows.flatMap(encodeFeatures));
  const input = new Tensor('float32', features, [rows.length, FEATURE_NAMES.length]);
  const { probabilities, label } = await session.run({ features: input });
  const k = CLASSES.length;
  return {
    predicted: Array.from(label.data, Number),
    probabilities: rows.map((_, i) => Array.from(probabilities.data.slice(i * k, (i + 1) * k))),
  };
}

const round6 = (value) => Math.round(value * 1e6) / 1e6;

/** Unweighted mean over classes of F1 = 2TP / (2TP + FP + FN). */
function computeMacroF1(actual, predicted) {
  const scores = CLASSES.map((_, k) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    actual.forEach((a, i) => {
      if (a === k && predicted[i] === k) tp++;
      else if (predicted[i] === k) fp++;
      else if (a === k) fn++;
    });
    return tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return scores.reduce((sum, s) => sum + s, 0) / scores.length;
}

/** Mean negative log probability of the true class, clipped so a confident miss stays finite. */
function computeLogLoss(actual, probabilities) {
  const total = actual.reduce(
    (sum, a, i) => sum - Math.log(Math.max(probabilities[i][a], 1e-15)),
    0,
  );
  return total / actual.length;
}

function computeAccuracy(actual, predicted) {
  return actual.filter((a, i) => a === predicted[i]).length / actual.length;
}

/** Accuracy and count per value of the sensitive attribute, values in sorted order. */
function computeGroups(rows, actual, predicted) {
  const groups = {};
  for (const value of [...new Set(rows.map((row) => row[SENSITIVE]))].sort()) {
    const members = rows.flatMap((row, i) => (row[SENSITIVE] === value ? [i] : []));
    const hits = members.filter((i) => actual[i] === predicted[i]).length;
    groups[value] = { accuracy: round6(hits / members.length), n: members.length };
  }
  return groups;
}

async function main() {
  await checkModelColumns();
  const rows = await readCsv('data/test.csv');
  const actual = rows.map(encodeLabel);
  const { predicted, probabilities } = await predict(rows);

  // Fixed key order and rounding keep metrics.json byte-stable, so Git diffs show real changes.
  const metrics = {
    accuracy: round6(computeAccuracy(actual, predicted)),
    macro_f1: round6(computeMacroF1(actual, predicted)),
    log_loss: round6(computeLogLoss(actual, probabilities)),
    n_test: rows.length,
    per_group: { [SENSITIVE]: computeGroups(rows, actual, predicted) },
  };
  await writeFile('metrics.json', JSON.stringify(metrics, null, 2) + '\n');

  const groups = Object.entries(metrics.per_group[SENSITIVE])
    .map(([value, { accuracy, n }]) => `${value} ${accuracy} (n=${n})`)
    .join(', ');
  console.log(
    `evaluate: accuracy ${metrics.accuracy}, macro_f1 ${metrics.macro_f1}, ` +
      `log_loss ${metrics.log_loss}, n_test ${metrics.n_test}; by ${SENSITIVE}: ${groups}`,
  );
}

await main();
