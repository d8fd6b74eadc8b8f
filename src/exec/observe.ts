import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { describeStageInputs, computeCacheKey } from '../plan/cache-key.js';
import { findProducers, stageOutputs, type StageGraph } from '../plan/dag.js';
import type { Lockfile } from '../plan/lockfile.js';
import type { ObservedStage } from '../plan/staleness.js';
import { selectParams } from '../spec/param-paths.js';
import type { ParamValues, ResolvedStage } from '../spec/types.js';
import { hashPath, type StatCache } from '../store/index.js';
import type { PathDigest } from '../store/types.js';

/** Stands in for a dep an upstream stage has not written yet (only in status and --dry). */
const NOT_YET_WRITTEN: Digest = `sha256:${'0'.repeat(64)}`;

export interface Workspace {
  root: string;
  graph: StageGraph;
  params: ParamValues;
  lock: Lockfile;
  statCache: StatCache;
  /**
   * Digests of deps no stage writes, hashed once per command: they cannot change during a run,
   * and stages that share a big input must not hash it side by side.
   */
  sourceDigests: Map<string, Promise<PathDigest | undefined>>;
}

/** An observed stage with its deps' sizes and kinds, as the lock and the run history record them. */
export interface ObservedWorkspaceStage extends ObservedStage {
  deps: Array<{ path: string } & PathDigest>;
}

/**
 * Hashes a stage's deps and outputs as they are in the workspace now (through the stat cache,
 * so unchanged files are not read) and computes its cache key.
 */
export async function observeStage(
  ws: Workspace,
  stage: ResolvedStage,
): Promise<ObservedWorkspaceStage> {
  const outputs = stageOutputs(stage);
  const [deps, outDigests] = await Promise.all([
    Promise.all(stage.deps.map((path) => hashDep(ws, stage, path))),
    Promise.all(outputs.map((path) => hashPath(ws.root, path, ws.statCache))),
  ]);
  const params = selectParams(ws.params, stage.params);
  const input = describeStageInputs(stage, deps, params);
  const outs = new Map<string, PathDigest | undefined>(outputs.map((p, i) => [p, outDigests[i]]));
  const locked = ws.lock.get(stage.name);
  return { stage, input, key: computeCacheKey(input), outs, locked, deps };
}

/**
 * Starts hashing the deps of `stages` that no stage writes, so the hash threads work while the
 * run does its other preparations; observeStage then finds the digests under way.
 */
export function startHashingSources(ws: Workspace, stages: readonly string[]): void {
  for (const name of stages) {
    for (const path of ws.graph.stages.get(name)?.deps ?? []) {
      if (isWrittenByAStage(ws, path)) continue;
      // Its stage sees a failure when it awaits the digest; nothing else must report it.
      hashSourceOnce(ws, path).catch(() => undefined);
    }
  }
}

function isWrittenByAStage(ws: Workspace, path: string): boolean {
  return findProducers(ws.graph, path).length > 0;
}

function hashSourceOnce(ws: Workspace, path: string): Promise<PathDigest | undefined> {
  if (isWrittenByAStage(ws, path)) return hashPath(ws.root, path, ws.statCache);
  let digest = ws.sourceDigests.get(path);
  if (digest === undefined) {
    digest = hashPath(ws.root, path, ws.statCache);
    ws.sourceDigests.set(path, digest);
  }
  return digest;
}

async function hashDep(
  ws: Workspace,
  stage: ResolvedStage,
  path: string,
): Promise<{ path: string } & PathDigest> {
  const found = await hashSourceOnce(ws, path);
  if (found) return { path, ...found };
  if (ws.graph.upstream.get(stage.name)?.size) {
    return { path, digest: NOT_YET_WRITTEN, size: 0, kind: 'file' };
  }
  throw new WeftError(
    'PIPELINE_INVALID',
    `failed to hash dep ${path} of stage ${stage.name}: it does not exist`,
  );
}
