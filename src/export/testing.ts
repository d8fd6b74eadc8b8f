/**
 * Test support for the exporters: small deterministic datasets, and a way to run exported bytes
 * through ONNX Runtime the way serving will (FP32 features in).
 */
import onnxProto from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/** Deterministic uniform numbers in [0, 1) (mulberry32), so datasets need no fixtures. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dataset {
  rows: number[][];
  labels: number[];
}

/**
 * Three overlapping classes of 4 features with one decimal, like iris: `perClass` rows each,
 * centred apart enough that models learn something but not so far that every split is trivial.
 */
export function makeClasses(perClass: number, seed = 7): Dataset {
  const random = seededRandom(seed);
  const centres = [
    [5.0, 3.4, 1.5, 0.2],
    [5.9, 2.8, 4.3, 1.3],
    [6.6, 3.0, 5.5, 2.0],
  ];
  const rows: number[][] = [];
  const labels: number[] = [];
  centres.forEach((centre, label) => {
    for (let i = 0; i < perClass; i++) {
      rows.push(centre.map((c) => Math.round((c + (random() - 0.5) * 1.6) * 10) / 10));
      labels.push(label);
    }
  });
  return { rows, labels };
}

/** A noisy non-linear target over 3 features, for regressors. */
export function makeRegression(count: number, seed = 11): { rows: number[][]; values: number[] } {
  const random = seededRandom(seed);
  const rows = Array.from({ length: count }, () =>
    Array.from({ length: 3 }, () => Math.round(random() * 100) / 10),
  );
  const values = rows.map(([a = 0, b = 0, c = 0]) => 2 * a - b * b * 0.3 + Math.sin(c) + random());
  return { rows, values };
}

/** Runs the model on `rows` fed as one FP32 [N, F] tensor named `inputName`. */
export async function runExported(
  bytes: Uint8Array,
  rows: number[][],
  inputName = 'features',
): Promise<Record<string, Tensor>> {
  const session = await InferenceSession.create(bytes);
  try {
    const width = rows[0]?.length ?? 0;
    const features = new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]);
    return await session.run({ [inputName]: features });
  } finally {
    await session.release();
  }
}

/** The rows of a 2-D output tensor as plain numbers. */
export function tensorRows(tensor: Tensor): number[][] {
  const [count = 0, width = 1] = tensor.dims;
  const values = Array.from(tensor.data as Float32Array, Number);
  return Array.from({ length: count }, (_, i) => values.slice(i * width, (i + 1) * width));
}

/** A 1-D INT64 tensor (a label output) as plain numbers. */
export function labelsOf(tensor: Tensor): number[] {
  return Array.from(tensor.data as BigInt64Array, Number);
}

/** The rows rounded to float32, as the model sees them; ml.js fed these predicts as the model. */
export function asFloat32(rows: number[][]): number[][] {
  return rows.map((row) => row.map(Math.fround));
}

/** metadata_props of encoded model bytes. */
export function readMetadata(bytes: Uint8Array): Record<string, string> {
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  return Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
}
