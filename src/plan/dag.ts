import { WeftError } from '../core/errors.js';
import type { ResolvedPipeline, ResolvedStage } from '../spec/types.js';

/**
 * The stage graph. An edge runs from a producer to each consumer: stage B depends on stage A
 * when one of B's deps is one of A's outs, lies inside an out directory of A, or is a
 * directory containing one of A's outs.
 *
 *   prepare --(data/train.csv)--> train --(model/model.onnx)--> evaluate
 *          \-------------------(data/test.csv)-----------------/
 */
export interface StageGraph {
  stages: Map<string, ResolvedStage>;
  /** Stage -> the stages it depends on directly. */
  upstream: Map<string, Set<string>>;
  /** Stage -> the stages that depend on it directly. */
  downstream: Map<string, Set<string>>;
  /** Every out path -> the stage that writes it. */
  producers: Map<string, string>;
  /** Every directory an out lies in -> the stages writing inside it (see findProducers). */
  writersInside: Map<string, string[]>;
  /** A topological order; ties keep declaration order. */
  order: string[];
}

/** All outputs of a stage: outs and metrics files. */
export function stageOutputs(stage: ResolvedStage): string[] {
  return [...stage.outs, ...stage.metrics];
}

/** One path is the other, or lies inside it (as a directory). */
export function pathsOverlap(dep: string, out: string): boolean {
  return dep === out || isInside(dep, out) || isInside(out, dep);
}

function isInside(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/** The directories `path` lies in, as isInside sees them: `a/b/c` -> `a/b`, `a`. */
function containingDirs(path: string): string[] {
  const dirs: string[] = [];
  for (let slash = path.lastIndexOf('/'); slash >= 0; slash = path.lastIndexOf('/', slash - 1)) {
    dirs.push(path.slice(0, slash));
    if (slash === 0) break;
  }
  return dirs;
}

/**
 * Builds the graph and rejects what cannot run: two stages writing one path, a cycle, and a
 * dep that no stage writes and that is not in the workspace (`exists` says which are).
 */
export function buildStageGraph(
  pipeline: ResolvedPipeline,
  exists: (path: string) => boolean,
): StageGraph {
  const stages = new Map(pipeline.stages.map((s) => [s.name, s]));
  const producers = collectProducers(pipeline.stages);
  const writersInside = indexWritersInside(producers);
  const upstream = new Map<string, Set<string>>();
  const downstream = new Map<string, Set<string>>();
  for (const stage of pipeline.stages) {
    upstream.set(stage.name, new Set());
    downstream.set(stage.name, new Set());
  }
  const missing: string[] = [];
  for (const stage of pipeline.stages) {
    for (const dep of stage.deps) {
      const producedBy = findProducers({ producers, writersInside }, dep);
      if (producedBy.length === 0 && !exists(dep)) {
        missing.push(`stage ${stage.name}: dep ${dep} does not exist and no stage writes it`);
      }
      for (const producer of producedBy) {
        if (producer === stage.name) continue;
        upstream.get(stage.name)?.add(producer);
        downstream.get(producer)?.add(stage.name);
      }
    }
  }
  if (missing.length > 0) {
    throw new WeftError('PIPELINE_INVALID', `failed to plan pipeline: ${missing.join('; ')}`);
  }
  const order = orderTopologically(pipeline.stages, upstream);
  return { stages, upstream, downstream, producers, writersInside, order };
}

/**
 * The stages writing `path`, something inside it, or a directory it lies in: what
 * pathsOverlap says of each out, found without comparing `path` with every out (a wide
 * pipeline asks this of every dep).
 */
export function findProducers(
  graph: Pick<StageGraph, 'producers' | 'writersInside'>,
  path: string,
): string[] {
  const found = [...(graph.writersInside.get(path) ?? [])];
  for (const written of [path, ...containingDirs(path)]) {
    const stage = graph.producers.get(written);
    if (stage !== undefined) found.push(stage);
  }
  return found;
}

function indexWritersInside(producers: ReadonlyMap<string, string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const [out, stage] of producers) {
    for (const dir of containingDirs(out)) index.set(dir, [...(index.get(dir) ?? []), stage]);
  }
  return index;
}

function collectProducers(stages: ResolvedStage[]): Map<string, string> {
  const producers = new Map<string, string>();
  const conflicts: string[] = [];
  for (const stage of stages) {
    for (const out of stageOutputs(stage)) {
      producers.forEach((owner, other) => {
        if (owner !== stage.name && pathsOverlap(out, other)) {
          conflicts.push(
            `out ${out} of stage ${stage.name} overlaps out ${other} of stage ${owner}`,
          );
        }
      });
      producers.set(out, stage.name);
    }
  }
  if (conflicts.length > 0) {
    throw new WeftError('PIPELINE_INVALID', `failed to plan pipeline: ${conflicts.join('; ')}`);
  }
  return producers;
}

/** Kahn's algorithm; what is left over lies on a cycle, which the error spells out. */
function orderTopologically(stages: ResolvedStage[], upstream: Map<string, Set<string>>): string[] {
  const remaining = new Map(stages.map((s) => [s.name, new Set(upstream.get(s.name))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    if (ready.length === 0) {
      throw new WeftError(
        'PIPELINE_INVALID',
        `failed to plan pipeline: stages form a cycle: ${describeCycle(remaining).join(' -> ')}`,
      );
    }
    for (const name of ready) {
      order.push(name);
      remaining.delete(name);
      for (const deps of remaining.values()) deps.delete(name);
    }
  }
  return order;
}

function describeCycle(remaining: Map<string, Set<string>>): string[] {
  const [start] = remaining.keys();
  const path: string[] = [];
  let current = start;
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    current = [...(remaining.get(current) ?? [])][0];
  }
  return current === undefined ? path : [...path.slice(path.indexOf(current)), current];
}

/** The targets and everything they depend on, in topological order; unknown names are errors. */
export function selectStages(graph: StageGraph, targets: string[]): string[] {
  if (targets.length === 0) return graph.order;
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const up of graph.upstream.get(name) ?? []) visit(up);
  };
  for (const target of targets) {
    if (!graph.stages.has(target)) {
      throw new WeftError(
        'USAGE',
        `failed to select stage ${target}: no such stage (stages: ${graph.order.join(', ')})`,
      );
    }
    visit(target);
  }
  return graph.order.filter((name) => wanted.has(name));
}
