import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildStageGraph } from '../plan/dag.js';
import { readLockfile } from '../plan/lockfile.js';
import { WeftError } from '../core/errors.js';
import { readPipeline } from '../spec/read-pipeline.js';
import type { ResolvedEvaluation, ResolvedPipeline } from '../spec/types.js';
import { prepareHashPool, StatCache } from '../store/index.js';
import type { Workspace } from './observe.js';

export interface LoadedWorkspace extends Workspace {
  pipeline: ResolvedPipeline;
}

const statCacheFileOf = (weftDir: string): string => join(weftDir, 'stat-cache.bin');

/** Nothing was ever hashed in this workspace (a fresh clone, a first run): every dep will be read. */
export function isUnhashedWorkspace(weftDir: string): boolean {
  return !existsSync(statCacheFileOf(weftDir));
}

/** Reads spec, params and lock, and checks the stage graph: everything a plan needs. */
export async function loadWorkspace(root: string, weftDir: string): Promise<LoadedWorkspace> {
  const statCacheFile = statCacheFileOf(weftDir);
  // The hash threads start now, booting on the other cores while the spec is read.
  if (isUnhashedWorkspace(weftDir)) prepareHashPool();
  const { pipeline, params } = await readPipeline(root, 'weft.yaml', {
    cacheFile: join(weftDir, 'spec-cache.json'),
  });
  const graph = buildStageGraph(pipeline, (path) => existsSync(join(root, path)));
  const [lock, statCache] = await Promise.all([readLockfile(root), StatCache.load(statCacheFile)]);
  return { root, pipeline, graph, params, lock, statCache, sourceDigests: new Map() };
}

/** The evaluation section of the pipeline, or a message saying how to add one. */
export function requireEvaluation(pipeline: ResolvedPipeline): ResolvedEvaluation {
  if (pipeline.evaluation) return pipeline.evaluation;
  throw new WeftError(
    'SPEC_INVALID',
    `weft.yaml has no spec.evaluation: add one naming the dataset and its label column to evaluate ${pipeline.model?.name ?? 'the model'}`,
  );
}
