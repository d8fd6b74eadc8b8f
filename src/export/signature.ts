/**
 * What every exported model shares: one FP32 input of raw features, FP32 regression outputs or
 * an INT64 label with FP32 class probabilities, and metadata naming the features and classes.
 *
 * The graphs compute in float64 behind a Cast of the input, as ml.js does, and keep every bit of
 * the trained weights: predictions differ from ml.js only through the rounding of the features
 * to float32, the type serving feeds. Tree splits round their thresholds the same way (see
 * tree-ensemble.ts).
 */
import type { ModelJsonReader } from './model-json.js';
import {
  BATCH,
  DOUBLE,
  encodeModel,
  FLOAT,
  INT64,
  intAttribute,
  node,
  tensorValue,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-builder.js';

export interface RegressorExportOptions {
  /** Names of the feature columns, in the order the model was trained on. */
  featureNames: readonly string[];
  /** Name of the FP32 [N, features] input (default `features`). */
  inputName?: string;
  /** Name of the FP32 [N, targets] output (default `variable`). */
  outputName?: string;
}

export interface ClassifierExportOptions {
  /** Names of the feature columns, in the order the model was trained on. */
  featureNames: readonly string[];
  /** Class names; entry i names class index i (default "0", "1", ...). */
  classes?: readonly string[];
  /** Name of the FP32 [N, features] input (default `features`). */
  inputName?: string;
}

/** The graph's features, cast to float64: what every exporter's first node reads. */
export const FEATURES = 'features_f64';
/** The classifier outputs: INT64 [N] class index and FP32 [N, classes] probabilities. */
export const LABEL = 'label';
export const PROBABILITIES = 'probabilities';

/** The nodes and weights between FEATURES and the outputs. */
export interface GraphBody {
  name: string;
  doc: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
}

export interface ResolvedRegressorOptions {
  featureNames: string[];
  inputName: string;
  outputName: string;
}

export interface ResolvedClassifierOptions {
  featureNames: string[];
  inputName: string;
  classes: string[];
}

export function resolveRegressorOptions(
  reader: ModelJsonReader,
  options: RegressorExportOptions,
): ResolvedRegressorOptions {
  return {
    featureNames: readNames(reader, options.featureNames, 'featureNames'),
    inputName: options.inputName ?? 'features',
    outputName: options.outputName ?? 'variable',
  };
}

/** `classCount` is how many classes the model itself tells apart (indices 0..classCount-1). */
export function resolveClassifierOptions(
  reader: ModelJsonReader,
  options: ClassifierExportOptions,
  classCount: number,
): ResolvedClassifierOptions {
  const classes = options.classes
    ? readNames(reader, options.classes, 'classes')
    : Array.from({ length: classCount }, (_, i) => String(i));
  if (classes.length < classCount) {
    throw reader.fail(
      `the model predicts ${classCount} classes but classes names ${classes.length}`,
    );
  }
  return {
    featureNames: readNames(reader, options.featureNames, 'featureNames'),
    inputName: options.inputName ?? 'features',
    classes,
  };
}

/** Fails unless the model reads feature columns 0..count-1 and featureNames names each one. */
export function checkFeatureCount(reader: ModelJsonReader, names: string[], count: number): void {
  if (names.length !== count) {
    throw reader.fail(`the model reads ${count} features but featureNames has ${names.length}`);
  }
}

export function encodeRegressor(
  options: ResolvedRegressorOptions,
  targets: number,
  body: GraphBody,
): Uint8Array {
  return encodeModel({
    ...body,
    inputs: [tensorValue(options.inputName, FLOAT, [BATCH, options.featureNames.length])],
    outputs: [tensorValue(options.outputName, FLOAT, [BATCH, targets])],
    nodes: [castFeatures(options.inputName), ...body.nodes],
    metadata: { feature_names: JSON.stringify(options.featureNames) },
  });
}

export function encodeClassifier(options: ResolvedClassifierOptions, body: GraphBody): Uint8Array {
  return encodeModel({
    ...body,
    inputs: [tensorValue(options.inputName, FLOAT, [BATCH, options.featureNames.length])],
    outputs: [
      tensorValue(LABEL, INT64, [BATCH]),
      tensorValue(PROBABILITIES, FLOAT, [BATCH, options.classes.length]),
    ],
    nodes: [castFeatures(options.inputName), ...body.nodes],
    metadata: {
      feature_names: JSON.stringify(options.featureNames),
      classes: JSON.stringify(options.classes),
    },
  });
}

function castFeatures(inputName: string): OnnxNode {
  return node('Cast', [inputName], [FEATURES], [intAttribute('to', DOUBLE)]);
}

function readNames(reader: ModelJsonReader, names: readonly string[], option: string): string[] {
  const list = reader.array(names, option);
  list.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') {
      throw reader.fail(`${option}[${i}] must be a non-empty string`);
    }
  });
  if (new Set(list).size !== list.length) throw reader.fail(`${option} has duplicates`);
  return list as string[];
}
