import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { digestBytes } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { readOnnxSignature } from '../evaluate/onnx-signature.js';
import type { MetadataStore, ModelVersion } from '../registry/types.js';
import { LoadedVersion, type VersionInfo } from '../serving/loaded-version.js';
import { startOnnxRuntime } from '../serving/runtime/onnx-runtime.js';
import type { ObjectStore } from '../store/index.js';

/** Triton's name for ONNX models served by ONNX Runtime, which OIP clients recognise. */
const ONNX_PLATFORM = 'onnxruntime_onnx';

export interface VersionSource {
  store: ObjectStore;
  metadata: MetadataStore;
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
  };
  return new LoadedVersion(info, await startOnnxRuntime(bytes));
}

/** Starts an ONNX file that is not in the registry, as version 1 of `name` (default: the file name). */
export async function loadModelFile(path: string, name?: string): Promise<LoadedVersion> {
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
  };
  return new LoadedVersion(info, await startOnnxRuntime(bytes));
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
