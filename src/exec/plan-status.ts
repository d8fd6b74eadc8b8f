import { selectStages } from '../plan/dag.js';
import { decideStage, explainStaleness, type StageAction } from '../plan/staleness.js';
import type { ObjectStore } from '../store/index.js';
import type { ResolvedStage } from '../spec/types.js';
import { observeStage, type ObservedWorkspaceStage } from './observe.js';
import { loadWorkspace } from './workspace.js';

export interface PlannedStage {
  stage: string;
  action: StageAction;
  reasons: string[];
  /** The run cache holds outputs for the stage's current inputs. */
  cached: boolean;
}

/**
 * What `weft run` would do, without doing it (`weft status`, `weft run --dry`). A stage below
 * a stale one is reported stale too: its deps will change once the upstream stage runs.
 */
export async function planPipeline(options: {
  root: string;
  weftDir: string;
  store: ObjectStore;
  targets: string[];
  force: boolean;
}): Promise<PlannedStage[]> {
  const ws = await loadWorkspace(options.root, options.weftDir);
  const planned = new Map<string, PlannedStage>();
  const names = selectStages(ws.graph, options.targets);
  // Hashing is the slow part and stages do not depend on each other's hashes: all at once.
  const observations = await Promise.all(
    names.map((name) => observeStage(ws, ws.graph.stages.get(name) as ResolvedStage)),
  );
  for (const [index, name] of names.entries()) {
    const observed = observations[index] as ObservedWorkspaceStage;
    const stage = observed.stage;
    const staleUpstream = [...(ws.graph.upstream.get(name) ?? [])].filter(
      (up) => planned.get(up)?.action !== 'skip',
    );
    const reasons = [
      ...staleUpstream.map((up) => `upstream stage ${up} is stale`),
      ...explainStaleness(observed),
    ];
    const cached =
      staleUpstream.length === 0 && (await options.store.readRunCache(observed.key)) !== undefined;
    const decision = decideStage(reasons, {
      force: options.force,
      alwaysRun: stage.alwaysRun,
      cached,
    });
    planned.set(name, { stage: name, ...decision, cached });
  }
  await ws.statCache.save();
  return [...planned.values()];
}
