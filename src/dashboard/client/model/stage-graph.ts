import type { Artifact, StageExecution } from '../api/types.js';
import { formatDuration } from './format.js';
import type { Graph, GraphNode } from './graph.js';

/** How a stage got its outputs, in the words the run page uses. */
export function describeOutcome(outcome: StageExecution['outcome']): {
  word: string;
  tone: GraphNode['tone'];
} {
  switch (outcome) {
    case 'ran':
      return { word: 'ran', tone: 'good' };
    case 'restored':
      return { word: 'cached (restored)', tone: 'cached' };
    case 'up-to-date':
      return { word: 'cached (up to date)', tone: 'cached' };
    case 'failed':
      return { word: 'failed', tone: 'bad' };
    case 'skipped':
      return { word: 'skipped', tone: 'neutral' };
  }
}

/** The newest execution of each stage of a run, in the order they first appear. */
export function latestExecutions(stages: readonly StageExecution[]): StageExecution[] {
  const latest = new Map<string, StageExecution>();
  for (const execution of stages) latest.set(execution.stage, execution);
  return [...latest.values()];
}

const feeds = (out: Artifact, dep: Artifact): boolean =>
  out.digest === dep.digest || dep.path === out.path || dep.path.startsWith(`${out.path}/`);

/**
 * The run's stage graph: an edge from A to B when B used something A wrote (same content, or a
 * path inside an output directory of A). Each node says how the stage went and how long it took.
 */
export function buildStageGraph(stages: readonly StageExecution[]): Graph {
  const executions = latestExecutions(stages);
  const nodes = executions.map((execution): GraphNode => {
    const { word, tone } = describeOutcome(execution.outcome);
    return {
      id: execution.stage,
      title: execution.stage,
      subtitle: `${word} · ${formatDuration(execution.durationMs)}`,
      tone,
      kind: 'stage',
    };
  });
  const edges = executions.flatMap((consumer) =>
    executions
      .filter(
        (producer) =>
          producer !== consumer &&
          producer.outs.some((out) => consumer.deps.some((dep) => feeds(out, dep))),
      )
      .map((producer) => ({ from: producer.stage, to: consumer.stage })),
  );
  return { nodes, edges };
}
