import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { digestBytes, type Digest } from '../core/digest.js';
import { WEFT_VERSION } from '../core/version.js';
import type { ParamValues, ResolvedPipeline } from './types.js';

/**
 * The last successfully resolved spec, keyed by the exact bytes of weft.yaml and the params
 * file. Parsing YAML with positions and compiling the schema cost more than a whole no-op
 * `weft run`; unchanged files skip both. Any doubt (other weft version, unreadable cache) is a
 * miss, never an error.
 */
interface SpecCacheEntry {
  version: string;
  specDigest: Digest;
  paramsDigest: Digest | null;
  pipeline: ResolvedPipeline;
  params: ParamValues;
}

export interface ResolvedSpec {
  pipeline: ResolvedPipeline;
  params: ParamValues;
}

export async function readCachedSpec(
  cacheFile: string,
  specText: string,
  readParamsText: (file: string) => Promise<string | undefined>,
): Promise<ResolvedSpec | undefined> {
  let entry: SpecCacheEntry;
  try {
    entry = JSON.parse(await readFile(cacheFile, 'utf8')) as SpecCacheEntry;
  } catch {
    return undefined;
  }
  if (entry.version !== WEFT_VERSION || entry.specDigest !== digestBytes(specText))
    return undefined;
  const paramsText = await readParamsText(entry.pipeline.paramsFile);
  const paramsDigest = paramsText === undefined ? null : digestBytes(paramsText);
  if (paramsDigest !== entry.paramsDigest) return undefined;
  return { pipeline: entry.pipeline, params: entry.params };
}

export async function writeCachedSpec(
  cacheFile: string,
  specText: string,
  paramsText: string | undefined,
  spec: ResolvedSpec,
): Promise<void> {
  const entry: SpecCacheEntry = {
    version: WEFT_VERSION,
    specDigest: digestBytes(specText),
    paramsDigest: paramsText === undefined ? null : digestBytes(paramsText),
    ...spec,
  };
  // A cache that cannot be written only costs speed, and a torn one (no fsync: the run waits
  // for this write before it starts hashing) reads as a miss.
  await writeFileAtomic(cacheFile, JSON.stringify(entry), { fsync: false }).catch(() => undefined);
}
