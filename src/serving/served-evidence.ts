import type { EvidenceStore, Label } from './evidence/index.js';
import type { VersionInfo } from './loaded-version.js';
import type { DecodedTensor, InferRequest, InferResult } from './types.js';

const NUMERIC = new Set([
  'FP16',
  'FP32',
  'FP64',
  'INT8',
  'INT16',
  'INT32',
  'UINT8',
  'UINT16',
  'UINT32',
]);

/**
 * Keeps what a version answered, for feedback and drift: the rows of its first 2-D numeric
 * input, and the label it predicted per row (its integer output, as a class name when known).
 */
export function recordServed(
  evidence: EvidenceStore,
  info: VersionInfo,
  request: InferRequest,
  result: InferResult,
  at: number,
): void {
  const input = request.inputs.find((t) => t.shape.length === 2 && NUMERIC.has(t.datatype));
  const predictedLabels = readLabels(result.outputs, info.classes);
  evidence.recordPrediction({
    requestId: request.id,
    model: info.model,
    version: info.version,
    at,
    inputs: input
      ? { columns: columnNames(input, info.featureNames), values: input.data as ArrayLike<number> }
      : [],
    ...(predictedLabels ? { predictedLabels } : {}),
  });
}

/** Feedback may name a class or give its index; both read as the class name when names are known. */
export function normalizeLabel(label: Label, classes: string[] | undefined): Label {
  if (!classes || typeof label !== 'number' || !Number.isInteger(label)) return label;
  return classes[label] ?? label;
}

function readLabels(outputs: DecodedTensor[], classes: string[] | undefined): Label[] | undefined {
  const label = outputs.find((o) => o.datatype === 'INT64' || o.datatype === 'INT32');
  if (!label || label.shape.length > 2 || (label.shape.length === 2 && label.shape[1] !== 1)) {
    return undefined;
  }
  return Array.from(label.data as ArrayLike<number | bigint>, (value) =>
    normalizeLabel(Number(value), classes),
  );
}

/** Generated names are made once per input name and width, not on every request. */
const generatedNames = new Map<string, string[]>();

function columnNames(input: DecodedTensor, names: string[] | undefined): string[] {
  const width = input.shape[1] ?? 0;
  if (names?.length === width) return names;
  const key = `${input.name}/${width}`;
  let generated = generatedNames.get(key);
  if (!generated) {
    generated = Array.from({ length: width }, (_, j) => `${input.name}[${j}]`);
    generatedNames.set(key, generated);
  }
  return generated;
}
