import { digestJson, type Digest } from '../core/digest.js';
import type { ResolvedStage } from '../spec/types.js';
import { stageOutputs } from './dag.js';

/**
 * Bumped only when the meaning of a cache key changes, not on every weft release: users keep
 * their cache across upgrades unless weft would otherwise restore something wrong.
 */
export const CACHE_TOOL_VERSION = 'weft/cache-v1';

export interface DepDigest {
  path: string;
  digest: Digest;
}

/** Everything that decides what a stage produces; equal inputs hash to equal keys. */
export interface CacheKeyInput {
  tool: string;
  cmd: string;
  wdir: string;
  deps: DepDigest[];
  params: Record<string, unknown>;
  env: Record<string, string>;
  outs: string[];
}

export function describeStageInputs(
  stage: ResolvedStage,
  deps: DepDigest[],
  params: Record<string, unknown>,
): CacheKeyInput {
  return {
    tool: CACHE_TOOL_VERSION,
    cmd: stage.cmd,
    wdir: stage.wdir,
    // Only path and digest: sizes and kinds are implied by the digest.
    deps: deps
      .map(({ path, digest }) => ({ path, digest }))
      .sort((a, b) => compareStrings(a.path, b.path)),
    params,
    env: stage.env,
    outs: [...stageOutputs(stage)].sort(compareStrings),
  };
}

/** sha256 of the canonical JSON of the inputs (key order and dep order do not matter). */
export function computeCacheKey(input: CacheKeyInput): Digest {
  return digestJson({
    ...input,
    deps: [...input.deps].sort((a, b) => compareStrings(a.path, b.path)),
    outs: [...input.outs].sort(compareStrings),
  });
}

/** Code-point order, the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
