import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describeError, WeftError } from '../core/errors.js';
import type { TensorSpec } from '../registry/types.js';
import type { EvaluationTask } from '../spec/types.js';
import { parseMetadataList, readOnnxMetadata, readOnnxSignature } from './onnx-signature.js';

/** Rows per ONNX Runtime call: big enough to amortise the call, small enough to bound memory. */
const BATCH_ROWS = 16_384;

/** What a model returned for a set of rows, widened to float64 / int32. */
export interface ModelOutputs {
  /** Predicted class index per row (classification with a label output). */
  label: Int32Array | null;
  /** Row-major rows x width (classification probabilities, or regression values). */
  scores: Float64Array | null;
  width: number;
}

/** Rows x features, row-major, in the float type of the model's input. */
export type FeatureMatrix = Float32Array | Float64Array;

export interface LoadedModel {
  task: EvaluationTask;
  /** Class names from the model's `classes` metadata, if it has them. */
  classes: string[] | null;
  /** The feature columns laid out as the model's input: built once, fed many times. */
  matrixFrom(columns: Float32Array[]): FeatureMatrix;
  /**
   * Runs the model over every row. `predictionOnly` fetches just what a score needs (the
   * label of a classifier that has one, else the scores), saving the copy of the rest.
   */
  predict(matrix: FeatureMatrix, options?: { predictionOnly?: boolean }): Promise<ModelOutputs>;
  /** Time spent inside ONNX Runtime so far. */
  readonly inferenceMs: number;
  release(): Promise<void>;
}

/**
 * Opens an ONNX model for evaluation: one 2-D float input fed the feature columns, a label
 * and/or probabilities output for a classifier, a float output for a regressor.
 */
export async function loadModel(
  bytes: Uint8Array,
  model: string,
  features: string[],
  task?: EvaluationTask,
): Promise<LoadedModel> {
  const fail = (problem: string): WeftError =>
    new WeftError('MODEL_INVALID', `model ${model} cannot be evaluated: ${problem}`);
  const signature = readOnnxSignature(bytes, model);
  const input = checkInput(signature.inputs, features, fail);
  const outputs = { input, ...pickOutputs(signature.outputs, task, fail) };
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes);
  } catch (error) {
    throw fail(`ONNX Runtime refused it (${describeError(error)})`);
  }
  let inferenceMs = 0;
  const run = async (
    feeds: Record<string, Tensor>,
    fetches: string[],
  ): Promise<InferenceSession.ReturnType> => {
    const started = performance.now();
    try {
      return await session.run(feeds, fetches);
    } catch (error) {
      throw fail(`ONNX Runtime failed to run it (${describeError(error)})`);
    } finally {
      inferenceMs += performance.now() - started;
    }
  };
  return {
    task: outputs.task,
    classes: readClasses(bytes, fail),
    get inferenceMs() {
      return inferenceMs;
    },
    matrixFrom: (columns) => toRowMajor(columns, input.datatype === 'FP64'),
    predict: (matrix, options) =>
      predictInBatches(matrix, features.length, pickFetches(outputs, options), run),
    release: () => session.release(),
  };
}

type Fail = (problem: string) => WeftError;

function checkInput(inputs: TensorSpec[], features: string[], fail: Fail): TensorSpec {
  const [input, ...more] = inputs;
  if (input === undefined || more.length > 0) {
    throw fail(`it takes ${inputs.length} inputs; weft feeds one 2-D tensor of features`);
  }
  if (input.datatype !== 'FP32' && input.datatype !== 'FP64') {
    throw fail(`input ${input.name} is ${input.datatype}; weft feeds FP32 or FP64 features`);
  }
  const width = input.shape[1];
  if (input.shape.length !== 2 || (width !== -1 && width !== features.length)) {
    throw fail(
      `input ${input.name} has shape [${input.shape.join(', ')}] but the evaluation feeds ${features.length} columns (${features.join(', ')})`,
    );
  }
  return input;
}

interface OutputChoice {
  input: TensorSpec;
  task: EvaluationTask;
  label: TensorSpec | undefined;
  scores: TensorSpec | undefined;
}

const isInteger = (t: TensorSpec): boolean => ['INT64', 'INT32'].includes(t.datatype);
const isFloat = (t: TensorSpec): boolean => ['FP32', 'FP64'].includes(t.datatype);

function pickOutputs(
  outputs: TensorSpec[],
  task: EvaluationTask | undefined,
  fail: Fail,
): Omit<OutputChoice, 'input'> {
  const label = outputs.find((t) => isInteger(t) && t.shape.length <= 2);
  const probabilities = outputs.find((t) => isFloat(t) && t.shape.length === 2 && t.shape[1] !== 1);
  const chosen = task ?? (label || probabilities ? 'classification' : 'regression');
  if (chosen === 'classification') {
    if (!label && !probabilities) {
      throw fail('a classifier needs an INT64 label output or a 2-D float probabilities output');
    }
    return { task: chosen, label, scores: probabilities };
  }
  const value = outputs.find(isFloat);
  if (!value) throw fail('a regressor needs a float output');
  return { task: chosen, label: undefined, scores: value };
}

function readClasses(bytes: Uint8Array, fail: Fail): string[] | null {
  const text = readOnnxMetadata(bytes).classes;
  if (text === undefined) return null;
  const classes = parseMetadataList(text);
  if (classes?.length) return classes;
  throw fail(`its "classes" metadata is not a JSON list: ${text.slice(0, 80)}`);
}

function toRowMajor(columns: Float32Array[], double: boolean): FeatureMatrix {
  const rows = columns[0]?.length ?? 0;
  const width = columns.length;
  const matrix = double ? new Float64Array(rows * width) : new Float32Array(rows * width);
  columns.forEach((column, j) => {
    for (let i = 0; i < rows; i++) matrix[i * width + j] = column[i] as number;
  });
  return matrix;
}

function pickFetches(outputs: OutputChoice, options?: { predictionOnly?: boolean }): OutputChoice {
  if (!options?.predictionOnly || !outputs.label) return outputs;
  return { ...outputs, scores: undefined };
}

async function predictInBatches(
  matrix: FeatureMatrix,
  width: number,
  outputs: OutputChoice,
  run: (feeds: Record<string, Tensor>, fetches: string[]) => Promise<InferenceSession.ReturnType>,
): Promise<ModelOutputs> {
  const rows = matrix.length / width;
  const fetches = [outputs.label, outputs.scores].flatMap((t) => (t ? [t.name] : []));
  const label = outputs.label ? new Int32Array(rows) : null;
  let scores: Float64Array | null = null;
  let scoreWidth = 0;
  for (let start = 0; start < rows; start += BATCH_ROWS) {
    const count = Math.min(BATCH_ROWS, rows - start);
    // A view, not a copy: ONNX Runtime reads the rows where they are.
    const batch = matrix.subarray(start * width, (start + count) * width);
    const result = await run({ [outputs.input.name]: new Tensor(batch, [count, width]) }, fetches);
    if (label && outputs.label) copyInto(label, result[outputs.label.name], start);
    if (outputs.scores) {
      const tensor = result[outputs.scores.name];
      scoreWidth = tensor && tensor.dims.length > 1 ? Number(tensor.dims[1]) : 1;
      scores ??= new Float64Array(rows * scoreWidth);
      copyInto(scores, tensor, start * scoreWidth);
    }
    for (const name of fetches) result[name]?.dispose();
  }
  return { label, scores, width: scoreWidth };
}

function copyInto(
  target: Int32Array | Float64Array,
  tensor: Tensor | undefined,
  offset: number,
): void {
  if (!tensor) return;
  const data = tensor.data;
  if (data instanceof BigInt64Array && target instanceof Int32Array) {
    // Class indices fit in 32 bits: read the low word of each int64 (little-endian, as on every
    // platform ONNX Runtime ships for) instead of converting millions of bigints one by one.
    const words = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
    for (let i = 0; i < data.length; i++) target[offset + i] = words[2 * i] as number;
    return;
  }
  const values = data as ArrayLike<number | bigint>;
  for (let i = 0; i < values.length; i++) target[offset + i] = Number(values[i]);
}
