// Generates the evaluation benchmark's Git repository: a seeded binary-classification dataset
// (numeric features, a 0/1 label drawn from a known logistic model, two sensitive attributes)
// and that logistic model as ONNX, registered by a one-stage pipeline so `weft evaluate` has a
// version to evaluate. Same seed, same rows: runs on different days compare like with like.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOnnxModel, onnx, valueInfo } from './onnx-model.mjs';
import { createRandom } from './random.mjs';
import { commitRepo, writePipeline } from './workspace.mjs';

const SEED = 20_240_601;
const SEXES = ['F', 'M'];
// Unequal group sizes, so the bootstrap resamples groups of different sizes as real data would.
const REGIONS = [
  { name: 'north', share: 0.4 },
  { name: 'south', share: 0.3 },
  { name: 'east', share: 0.2 },
  { name: 'west', share: 0.1 },
];

const createNormal = (random) => () =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

function pickRegion(u) {
  let cumulative = 0;
  for (const region of REGIONS) {
    cumulative += region.share;
    if (u < cumulative) return region.name;
  }
  return REGIONS.at(-1).name;
}

/** The known model: alternating-sign weights of decreasing size, so importances differ. */
export function createLogisticModel(width) {
  const weights = Array.from({ length: width }, (_, j) => ((j % 2 === 0 ? 1 : -1) * 2) / (j + 2));
  return { weights, bias: -0.1 };
}

/**
 * `rows` CSV rows `f0..f{width-1},y,sex,region` and the same features row-major as float32 (what
 * weft feeds ONNX Runtime after parsing the text). y ~ Bernoulli(sigmoid(x.w + b)); sex shifts
 * f0 a little, so the groups' selection rates differ and the fairness gaps are not all zero.
 */
export function generateDataset(rows, model) {
  const width = model.weights.length;
  const random = createRandom(SEED);
  const normal = createNormal(random);
  const header = [...Array.from({ length: width }, (_, j) => `f${j}`), 'y', 'sex', 'region'];
  const lines = [header.join(',')];
  const features = new Float32Array(rows * width);
  for (let i = 0; i < rows; i++) {
    const sex = SEXES[random() < 0.5 ? 0 : 1];
    const cells = [];
    let z = model.bias;
    for (let j = 0; j < width; j++) {
      const text = (normal() + (j === 0 && sex === 'F' ? 0.3 : 0)).toFixed(4);
      const value = Number(text);
      features[i * width + j] = value;
      z += value * model.weights[j];
      cells.push(text);
    }
    const y = random() < sigmoid(z) ? 1 : 0;
    lines.push(`${cells.join(',')},${y},${sex},${pickRegion(random())}`);
  }
  return { csv: `${lines.join('\n')}\n`, features, header };
}

const floatTensor = (name, dims, values) => ({
  name,
  dims,
  dataType: onnx.TensorProto.DataType.FLOAT,
  floatData: values,
});

const intAttribute = (name, value) => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i: value,
});

/**
 * The logistic regression as ONNX (IR 8, opset 13):
 *
 *   features [N,F] -> MatMul(w [F,1]) -> Add(b) -> Sigmoid -> p [N,1]
 *   Concat(1 - p, p; axis 1) -> probabilities [N,2] -> ArgMax(axis 1) -> label [N] (INT64)
 */
export function encodeLogisticOnnx({ weights, bias }) {
  const width = weights.length;
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const node = (name, opType, input, output, attribute = []) => ({
    name,
    opType,
    input,
    output,
    attribute,
  });
  const graph = {
    name: 'bench_logistic_regression',
    input: [valueInfo('features', FLOAT, ['N', width])],
    output: [valueInfo('probabilities', FLOAT, ['N', 2]), valueInfo('label', INT64, ['N'])],
    initializer: [
      floatTensor('weights', [width, 1], weights),
      floatTensor('bias', [1], [bias]),
      floatTensor('one', [1], [1]),
    ],
    node: [
      node('project', 'MatMul', ['features', 'weights'], ['projected']),
      node('shift', 'Add', ['projected', 'bias'], ['logit']),
      node('squash', 'Sigmoid', ['logit'], ['positive']),
      node('complement', 'Sub', ['one', 'positive'], ['negative']),
      node(
        'stack',
        'Concat',
        ['negative', 'positive'],
        ['probabilities'],
        [intAttribute('axis', 1)],
      ),
      node(
        'argmax',
        'ArgMax',
        ['probabilities'],
        ['label'],
        [intAttribute('axis', 1), intAttribute('keepdims', 0)],
      ),
    ],
  };
  return encodeOnnxModel(graph, [{ key: 'classes', value: JSON.stringify(['0', '1']) }]);
}

/**
 * The repository: data/eval.csv and bench-input/model.onnx (neither committed: weft hashes the
 * workspace), and a stage that copies the model to model/model.onnx, which `weft run`
 * registers as model `bench`. Returns the float32 features for the bare ONNX Runtime baseline.
 */
export function createEvalRepo(root, { rows, width, importanceRepeats }) {
  const model = createLogisticModel(width);
  const { csv, features } = generateDataset(rows, model);
  mkdirSync(join(root, 'data'), { recursive: true });
  mkdirSync(join(root, 'bench-input'), { recursive: true });
  writeFileSync(join(root, 'data', 'eval.csv'), csv);
  writeFileSync(join(root, 'bench-input', 'model.onnx'), encodeLogisticOnnx(model));
  const stage = {
    name: 'train',
    cmd: 'mkdir -p model && cp bench-input/model.onnx model/model.onnx',
    deps: ['bench-input/model.onnx'],
    outs: ['model/model.onnx'],
  };
  writePipeline(
    root,
    'bench-evaluate',
    [stage],
    [
      '  model: { name: bench, artifact: model/model.onnx }',
      '  evaluation:',
      '    dataset: data/eval.csv',
      '    label: y',
      '    sensitive: [sex, region]',
      `    importance: { repeats: ${importanceRepeats} }`,
    ],
  );
  commitRepo(root, ['.weft/', 'data/', 'model/', 'bench-input/']);
  return { features, csvBytes: Buffer.byteLength(csv) };
}
