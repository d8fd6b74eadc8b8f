import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { prepareEvaluationData } from '../evaluate/data/evaluation-data.js';
import { readTable } from '../evaluate/data/read-table.js';
import type { ResolvedPipeline } from '../spec/types.js';
import { digestBytes } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import {
  parseMetadataList,
  readOnnxMetadata,
  readOnnxSignature,
} from '../evaluate/onnx-signature.js';
import type { ReferenceData } from '../serving/evidence/index.js';
import type { MetadataStore, ModelVersion } from '../registry/types.js';
import { LoadedVersion, type VersionInfo } from '../serving/loaded-version.js';
import { startExternalRuntime } from '../serving/runtime/external/external-runtime.js';
import type { RuntimeLogger } from '../serving/runtime/external/runtime-process.js';
import { startOnnxRuntime, type OnnxPool } from '../serving/runtime/onnx-runtime.js';
import type { ObjectStore } from '../store/index.js';

/** Triton's name for ONNX models served by ONNX Runtime, which OIP clients recognise. */
const ONNX_PLATFORM = 'onnxruntime_onnx';

export interface VersionSource {
  store: ObjectStore;
  metadata: MetadataStore;
  /** Data each model's live inputs are compared with for drift, by model name. */
  references?: ReadonlyMap<string, ReferenceData>;
  /** Where ONNX sessions run; default: the process's shared pool. */
  onnx?: OnnxPool;
}

/** Starts a registered version: its artifact comes from the store, verified by digest. */
export async function loadRegisteredVersion(
  source: VersionSource,
  version: ModelVersion,
): Promise<LoadedVersion> {
  const bytes = await source.store.readBytes(version.digest);
  const info: VersionInfo = {
    model: version.name,
    version: String(version.version),
    digest: version.digest,
    platform: ONNX_PLATFORM,
    signature: version.signature,
    ...describeColumns(bytes),
  };
  const reference = source.references?.get(version.name);
  if (reference) info.reference = reference;
  return new LoadedVersion(info, await startOnnxRuntime(bytes, source.onnx));
}

/** Feature and class names the model carries in its metadata (weft's exporters write both). */
function describeColumns(bytes: Uint8Array): { featureNames?: string[]; classes?: string[] } {
  const metadata = readOnnxMetadata(bytes);
  const featureNames = parseMetadataList(metadata.feature_names);
  const classes = parseMetadataList(metadata.classes);
  return { ...(featureNames ? { featureNames } : {}), ...(classes ? { classes } : {}) };
}

/**
 * Starts an ONNX file that is not in the registry, as version 1 of `name` (default: the file
 * name), in the `onnx` pool (default: the process's shared pool).
 */
export async function loadModelFile(
  path: string,
  { name, onnx }: { name?: string; onnx?: OnnxPool } = {},
): Promise<LoadedVersion> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new WeftError('NOT_FOUND', `failed to read model file ${path}: no such file`, {
      cause: error,
    });
  });
  const info: VersionInfo = {
    model: name ?? basename(path, extname(path)),
    version: '1',
    digest: digestBytes(bytes),
    platform: ONNX_PLATFORM,
    signature: readOnnxSignature(bytes, path),
    ...describeColumns(bytes),
  };
  return new LoadedVersion(info, await startOnnxRuntime(bytes, onnx));
}

/** For the repository extension: a version by number, or the registry's latest. */
export function createRegistryLoader(
  source: VersionSource,
): (model: string, version: string | undefined) => Promise<LoadedVersion> {
  return async (model, version) => {
    const found =
      version === undefined
        ? (await source.metadata.listModelVersions(model, { limit: 1 }))[0]
        : await source.metadata.getModelVersion(model, { version: Number(version) });
    if (!found) {
      throw new WeftError(
        'NOT_FOUND',
        `model ${model}${version ? `@${version}` : ''} is not in the registry`,
      );
    }
    return loadRegisteredVersion(source, found);
  };
}

/**
 * The pipeline's evaluation dataset as drift reference for its model: numeric feature columns
 * by name. Missing data (not built yet) means no drift report, not a failure to serve.
 */
export async function readEvaluationReference(
  root: string,
  pipeline: ResolvedPipeline,
): Promise<Map<string, ReferenceData>> {
  const { model, evaluation } = pipeline;
  if (!model || !evaluation) return new Map();
  try {
    const table = await readTable(join(root, evaluation.dataset), evaluation.dataset);
    const data = prepareEvaluationData(table, evaluation);
    const numeric = Object.fromEntries(data.features.map((f, j) => [f, data.columns[j] ?? []]));
    return new Map([[model.name, { numeric }]]);
  } catch {
    return new Map();
  }
}

export interface ExternalModel {
  model: string;
  version: string;
  /** argv of the model server; `{port}` becomes its loopback port. */
  command: string[];
  cwd: string;
  env?: Record<string, string>;
}

/**
 * Starts a model server process of any language, waits for it to be ready and reads its
 * signature from its OIP metadata, so its requests are checked like an ONNX model's.
 */
export async function loadExternalVersion(
  external: ExternalModel,
  options: { logger?: RuntimeLogger; startTimeoutMs?: number } = {},
): Promise<LoadedVersion> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const runtime = await startExternalRuntime({
    ...external,
    startTimeoutMs,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  try {
    const signature = await runtime.describe(startTimeoutMs);
    const info: VersionInfo = {
      model: external.model,
      version: external.version,
      digest: digestBytes(external.command.join('\0')),
      platform: 'external',
      signature,
    };
    return new LoadedVersion(info, runtime);
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
