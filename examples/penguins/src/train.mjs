// Stage `train`: data/train.csv -> model/model.onnx.
//
// Multinomial logistic regression (softmax) trained with full-batch gradient descent in plain
// JavaScript, then written as an ONNX graph that takes raw features:
//
//   features [N,F] -> Sub(mean) -> Div(std) -> MatMul(W [F,3]) -> Add(b [3]) -> Softmax(axis=1)
//                                                                   -> probabilities [N,3]
//                                                     probabilities -> ArgMax(axis=1) -> label [N]
//
// Deterministic on purpose: weights start at zero, the batch order does not matter, and the file
// holds no timestamp, so the same data and params give a byte-identical model.onnx.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import { parse } from 'yaml';
import {
  CLASSES,
  FEATURE_NAMES,
  LABEL,
  encodeFeatures,
  encodeLabel,
  fitScaler,
  readCsv,
  standardize,
} from './features.mjs';

const { onnx } = onnxProto;
const MODEL = 'model/model.onnx';

async function readParams() {
  const { train } = parse(await readFile('params.yaml', 'utf8'));
  const { lr, epochs, l2 } = train ?? {};
  if (!(lr > 0)) throw new Error('params.yaml: train.lr must be a positive number');
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error('params.yaml: train.epochs must be a positive integer');
  }
  if (!(l2 >= 0)) throw new Error('params.yaml: train.l2 must be a number >= 0');
  return { lr, epochs, l2 };
}

/** Class probabilities for one standardised row: softmax(x W + b). */
function predictRow(x, weights, bias) {
  const logits = bias.map((b, k) => x.reduce((sum, v, j) => sum + v * weights[j][k], b));
  // Subtracting the max keeps exp() from overflowing; softmax does not change.
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

/**
 * Full-batch gradient descent on the mean cross-entropy plus (l2 / 2) * |W|^2.
 * Gradient: dW = X^T (P - Y) / n + l2 W, db = mean(P - Y).
 */
function fitSoftmax(inputs, labels, { lr, epochs, l2 }) {
  const width = inputs[0].length;
  const weights = Array.from({ length: width }, () => new Array(CLASSES.length).fill(0));
  const bias = new Array(CLASSES.length).fill(0);
  const n = inputs.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradW = weights.map((row) => row.map((w) => l2 * w));
    const gradB = new Array(CLASSES.length).fill(0);
    inputs.forEach((x, i) => {
      const probabilities = predictRow(x, weights, bias);
      probabilities.forEach((p, k) => {
        const error = (p - (labels[i] === k ? 1 : 0)) / n;
        gradB[k] += error;
        for (let j = 0; j < width; j++) gradW[j][k] += x[j] * error;
      });
    });
    weights.forEach((row, j) => row.forEach((_, k) => (row[k] -= lr * gradW[j][k])));
    bias.forEach((_, k) => (bias[k] -= lr * gradB[k]));
  }
  return { weights, bias };
}

function floatTensor(name, dims, values) {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values };
}

/** A tensor type; a string dimension is symbolic (any batch size). */
function valueInfo(name, elemType, dims) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function intAttribute(name, value) {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

/** The ONNX model (IR 8, opset 13) for the sketch at the top of this file. */
function buildModel({ mean, std }, { weights, bias }) {
  const width = FEATURE_NAMES.length;
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const graph = {
    name: 'penguins_softmax_regression',
    docString: `Input "features" holds raw values in this column order: ${FEATURE_NAMES.join(', ')}.`,
    input: [valueInfo('features', FLOAT, ['N', width])],
    output: [
      valueInfo('probabilities', FLOAT, ['N', CLASSES.length]),
      valueInfo('label', INT64, ['N']),
    ],
    initializer: [
      floatTensor('mean', [width], mean),
      floatTensor('std', [width], std),
      floatTensor('weights', [width, CLASSES.length], weights.flat()),
      floatTensor('bias', [CLASSES.length], bias),
    ],
    node: [
      { name: 'center', opType: 'Sub', input: ['features', 'mean'], output: ['centered'] },
      { name: 'scale', opType: 'Div', input: ['centered', 'std'], output: ['scaled'] },
      { name: 'project', opType: 'MatMul', input: ['scaled', 'weights'], output: ['projected'] },
      { name: 'shift', opType: 'Add', input: ['projected', 'bias'], output: ['logits'] },
      {
        name: 'softmax',
        opType: 'Softmax',
        input: ['logits'],
        output: ['probabilities'],
        attribute: [intAttribute('axis', 1)],
      },
      {
        name: 'argmax',
        opType: 'ArgMax',
        input: ['probabilities'],
        output: ['label'],
        attribute: [intAttribute('axis', 1), intAttribute('keepdims', 0)],
      },
    ],
  };
  return onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'weft-example-penguins',
    producerVersion: '1',
    graph,
    // Read back by evaluate (and by anyone serving the model) to feed columns in the right order.
    metadataProps: [
      { key: 'feature_names', value: JSON.stringify(FEATURE_NAMES) },
      { key: 'classes', value: JSON.stringify(CLASSES) },
      { key: 'label', value: LABEL },
    ],
  });
}

function computeAccuracy(inputs, labels, { weights, bias }) {
  const hits = inputs.filter((x, i) => {
    const p = predictRow(x, weights, bias);
    return p.indexOf(Math.max(...p)) === labels[i];
  });
  return hits.length / inputs.length;
}

async function main() {
  const params = await readParams();
  const rows = await readCsv('data/train.csv');
  const raw = rows.map(encodeFeatures);
  const labels = rows.map(encodeLabel);
  const scaler = fitScaler(raw);
  const inputs = standardize(raw, scaler);
  const fitted = fitSoftmax(inputs, labels, params);

  await mkdir('model', { recursive: true });
  await writeFile(MODEL, onnx.ModelProto.encode(buildModel(scaler, fitted)).finish());
  const accuracy = computeAccuracy(inputs, labels, fitted).toFixed(4);
  console.log(`train: ${rows.length} rows, train accuracy ${accuracy}, wrote ${MODEL}`);
}

await main();
