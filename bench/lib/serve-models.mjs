// The serving benchmark's models, written as ONNX with onnx-proto and seeded weights, so every
// run serves byte-identical models: a small logistic regression (the cost of serving itself)
// and a multi-layer perceptron whose single-row inference costs over the 0.5 ms (the
// cost of inference, where dynamic batching should pay).
import { Buffer } from 'node:buffer';
import { encodeOnnxModel, onnx, valueInfo } from './onnx-model.mjs';
import { createRandom } from './random.mjs';

const { FLOAT } = onnx.TensorProto.DataType;

export const SMALL_FEATURES = 8;
export const SMALL_CLASSES = 3;
/**
 * 256 -> 4096 -> 4096 -> 10: 17.9 M parameters, 72 MB of weights. A single row reads every
 * weight once, so its cost is the time to stream them from memory, about 2 ms here; weights
 * that fit in the last-level cache (32 MB on the machine this was tuned on) run far faster
 * when nothing else runs: the issue's example of about 1 M parameters (4 MB) took 0.05-0.1 ms
 * a row, and 5.3 M (21 MB) anywhere from 0.3 ms to 2 ms depending on neighbours' cache use.
 */
export const MLP_LAYERS = [256, 4096, 4096, 10];

/** `count` values uniform in [-scale, scale). */
function randomValues(random, count, scale) {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (random() * 2 - 1) * scale;
  return values;
}

/** A float batch of rows `width` wide. */
const rowsInfo = (name, width) => valueInfo(name, FLOAT, ['N', width]);

/** Raw little-endian bytes: a million numbers as `floatData` would make encoding crawl. */
const floatTensor = (name, dims, values) => ({
  name,
  dims,
  dataType: FLOAT,
  rawData: Buffer.from(values.buffer, values.byteOffset, values.byteLength),
});

const node = (opType, input, output) => ({ name: output[0], opType, input, output });

/**
 * features [N,8] -> MatMul -> Add -> Softmax -> probabilities [N,3]. Each `seed` gives other
 * weights, hence another digest: a new registry version per seed.
 */
export function encodeSmallModel(seed = 1) {
  const random = createRandom(seed);
  return encodeOnnxModel({
    name: 'bench_small_logistic',
    input: [rowsInfo('features', SMALL_FEATURES)],
    output: [rowsInfo('probabilities', SMALL_CLASSES)],
    initializer: [
      floatTensor('weights', [SMALL_FEATURES, SMALL_CLASSES], randomValues(random, 24, 1)),
      floatTensor('bias', [SMALL_CLASSES], randomValues(random, SMALL_CLASSES, 0.1)),
    ],
    node: [
      node('MatMul', ['features', 'weights'], ['logits_raw']),
      node('Add', ['logits_raw', 'bias'], ['logits']),
      node('Softmax', ['logits'], ['probabilities']),
    ],
  });
}

/** features [N,256] -> (Gemm, Relu) x 2 -> Gemm -> Softmax -> probabilities [N,10]. */
export function encodeMlpModel(seed = 7) {
  const random = createRandom(seed);
  const initializer = [];
  const nodes = [];
  let input = 'features';
  for (let layer = 0; layer < MLP_LAYERS.length - 1; layer++) {
    const [fanIn, fanOut] = [MLP_LAYERS[layer], MLP_LAYERS[layer + 1]];
    // He-style scale keeps activations of the random net in a sane range through the Relus.
    const scale = Math.sqrt(6 / fanIn);
    initializer.push(
      floatTensor(`w${layer}`, [fanIn, fanOut], randomValues(random, fanIn * fanOut, scale)),
      floatTensor(`b${layer}`, [fanOut], randomValues(random, fanOut, 0.01)),
    );
    const output = `dense${layer}`;
    nodes.push(node('Gemm', [input, `w${layer}`, `b${layer}`], [output]));
    const last = layer === MLP_LAYERS.length - 2;
    input = last ? output : `relu${layer}`;
    if (!last) nodes.push(node('Relu', [output], [input]));
  }
  nodes.push(node('Softmax', [input], ['probabilities']));
  return encodeOnnxModel({
    name: 'bench_mlp',
    input: [rowsInfo('features', MLP_LAYERS[0])],
    output: [rowsInfo('probabilities', MLP_LAYERS.at(-1))],
    initializer,
    node: nodes,
  });
}

export const mlpParameterCount = () =>
  MLP_LAYERS.slice(1).reduce((sum, fanOut, i) => sum + (MLP_LAYERS[i] + 1) * fanOut, 0);

/** One OIP v2 request body of a single row of `width` seeded features, as JSON text. */
export function singleRowBody(width, seed = 3) {
  const random = createRandom(seed);
  const data = Array.from({ length: width }, () => Math.round((random() * 4 - 2) * 1e4) / 1e4);
  return JSON.stringify({
    inputs: [{ name: 'features', shape: [1, width], datatype: 'FP32', data }],
  });
}
