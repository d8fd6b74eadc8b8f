import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describeError, WeftError } from '../core/errors.js';
import type { TensorSpec } from '../registry/types.js';
import type { EvaluationTask } from '../spec/types.js';
import { readOnnxMetadata, readOnnxSignature } from './onnx-signature.js';

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

export interface LoadedModel {
  task: EvaluationTask;
  /** Class names from the model's `classes` metadata, if it has them. */
  classes: string[] | null;
  predict(columns: Float32Array[]): Promise<ModelOutputs>;
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
  const outputs = pickOutputs(signature.outputs, task, fail);
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes);
  } catch (error) {
    throw fail(`ONNX Runtime refused it (${describeError(error)})`);
  }
  let inferenceMs = 0;
  const run = async (feeds: Record<string, Tensor>): Promise<InferenceSession.ReturnType> => {
    const started = performance.now();
    try {
      return await session.run(feeds);
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
    predict: (columns) => predictInBatches(columns, input, outputs, run),
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
): OutputChoice {
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
  try {
    const classes: unknown = JSON.parse(text);
    if (Array.isArray(classes) && classes.length > 0) return classes.map(String);
  } catch {
    // Reported below.
  }
  throw fail(`its "classes" metadata is not a JSON list: ${text.slice(0, 80)}`);
}

async function predictInBatches(
  columns: Float32Array[],
  input: TensorSpec,
  outputs: OutputChoice,
  run: (feeds: Record<string, Tensor>) => Promise<InferenceSession.ReturnType>,
): Promise<ModelOutputs> {
  const rows = columns[0]?.length ?? 0;
  const width = columns.length;
  const fetches = [outputs.label, outputs.scores].filter((t) => t !== undefined);
  const label = outputs.label ? new Int32Array(rows) : null;
  let scores: Float64Array | null = null;
  let scoreWidth = 0;
  for (let start = 0; start < rows; start += BATCH_ROWS) {
    const count = Math.min(BATCH_ROWS, rows - start);
    const data =
      input.datatype === 'FP64' ? new Float64Array(count * width) : new Float32Array(count * width);
    for (let j = 0; j < width; j++) {
      const column = columns[j] as Float32Array;
      for (let i = 0; i < count; i++) data[i * width + j] = column[start + i] as number;
    }
    const result = await run({ [input.name]: new Tensor(data, [count, width]) });
    if (label && outputs.label) copyInto(label, result[outputs.label.name], start);
    if (outputs.scores) {
      const tensor = result[outputs.scores.name];
      scoreWidth = tensor && tensor.dims.length > 1 ? Number(tensor.dims[1]) : 1;
      scores ??= new Float64Array(rows * scoreWidth);
      copyInto(scores, tensor, start * scoreWidth);
    }
    for (const name of fetches.map((t) => t.name)) result[name]?.dispose();
  }
  return { label, scores, width: scoreWidth };
}

function copyInto(
  target: Int32Array | Float64Array,
  tensor: Tensor | undefined,
  offset: number,
): void {
  if (!tensor) return;
  const data = tensor.data as ArrayLike<number | bigint>;
  for (let i = 0; i < data.length; i++) target[offset + i] = Number(data[i]);
}
