import type { Deployment, LineageEdge, ModelVersion, RunDetail } from '../api/types.js';
import { hrefs } from '../router.js';
import { shortDigest, shortSha } from './format.js';
import type { Graph, GraphEdge, GraphNode } from './graph.js';

/**
 * A model version's lineage drawn from where it came from to where it serves:
 *
 *   commit ──> stage train (run 3) ──> model/model.onnx ──> penguins@2 ──> deployment penguins
 *   data/train.csv ──┘   params ──┘
 *
 * The API's edges point towards inputs (`from` was made from `to`); they are turned around so
 * the graph reads left to right. Artifacts are named by the paths the runs recorded for them.
 */
export interface LineageInput {
  version: ModelVersion;
  edges: readonly LineageEdge[];
  /** Runs the lineage passes through (to name stages and artifacts); missing ones stay ids. */
  runs: readonly RunDetail[];
  /** Deployments of this model (to show where the version serves). */
  deployments: readonly Deployment[];
}

const RELATIONS: Record<LineageEdge['relation'], string> = {
  produced_by: 'produced',
  used: 'used by',
  configured_by: 'configures',
  built_from: 'built',
  part_of: 'ran',
};

export function buildLineageGraph(input: LineageInput): Graph {
  const { version } = input;
  const paths = new Map<string, string>();
  const stages = new Map<string, { stage: string; runId: number }>();
  for (const run of input.runs) {
    for (const execution of run.stages) {
      stages.set(String(execution.id), { stage: execution.stage, runId: run.id });
      for (const artifact of [...execution.deps, ...execution.outs])
        paths.set(artifact.digest, artifact.path);
    }
  }
  for (const artifact of version.dataDigests) paths.set(artifact.digest, artifact.path);
  paths.set(version.digest, version.artifactPath);

  const nodes = new Map<string, GraphNode>();
  const idOf = (node: { kind: string; id: string }) => `${node.kind}:${node.id}`;
  const describe = (node: { kind: string; id: string }): GraphNode => {
    const id = idOf(node);
    switch (node.kind) {
      case 'artifact': {
        const isModel = node.id === version.digest;
        return {
          id,
          kind: node.kind,
          title: paths.get(node.id) ?? 'artifact',
          subtitle: shortDigest(node.id),
          tone: isModel ? 'highlight' : 'neutral',
        };
      }
      case 'stage_execution': {
        const known = stages.get(node.id);
        return {
          id,
          kind: node.kind,
          title: known ? `stage ${known.stage}` : `stage execution ${node.id}`,
          subtitle: known ? `run ${known.runId}` : 'stage execution',
          tone: 'neutral',
          ...(known ? { href: hrefs.run(known.runId) } : {}),
        };
      }
      case 'commit':
        return {
          id,
          kind: node.kind,
          title: `commit ${shortSha(node.id)}`,
          subtitle: 'Git',
          tone: 'neutral',
        };
      case 'run':
        return {
          id,
          kind: node.kind,
          title: `run ${node.id}`,
          subtitle: 'run',
          tone: 'neutral',
          href: hrefs.run(Number(node.id)),
        };
      default:
        return {
          id,
          kind: node.kind,
          title: node.kind,
          subtitle: shortDigest(node.id),
          tone: 'neutral',
        };
    }
  };
  const edges: GraphEdge[] = [];
  for (const edge of input.edges) {
    for (const node of [edge.from, edge.to])
      if (!nodes.has(idOf(node))) nodes.set(idOf(node), describe(node));
    // Reversed: an input points at what was made from it.
    edges.push({ from: idOf(edge.to), to: idOf(edge.from), label: RELATIONS[edge.relation] });
  }
  addServing(input, nodes, edges);
  return { nodes: [...nodes.values()], edges };
}

/** The version itself, and each deployment serving it (or rolling it out) now. */
function addServing(input: LineageInput, nodes: Map<string, GraphNode>, edges: GraphEdge[]): void {
  const { version } = input;
  const versionId = `version:${version.name}@${version.version}`;
  nodes.set(versionId, {
    id: versionId,
    kind: 'version',
    title: `${version.name}@${version.version}`,
    subtitle: version.aliases.length ? `aliases: ${version.aliases.join(', ')}` : 'model version',
    tone: 'highlight',
  });
  edges.push({ from: `artifact:${version.digest}`, to: versionId, label: 'registered' });
  if (!nodes.has(`artifact:${version.digest}`)) {
    nodes.set(`artifact:${version.digest}`, {
      id: `artifact:${version.digest}`,
      kind: 'artifact',
      title: version.artifactPath,
      subtitle: shortDigest(version.digest),
      tone: 'highlight',
    });
  }
  const number = String(version.version);
  for (const deployment of input.deployments) {
    const serves =
      deployment.served?.model === version.name && deployment.served.version === number;
    const canary = deployment.rollout?.canary.version === number;
    if (!serves && !canary) continue;
    const id = `deployment:${deployment.name}`;
    nodes.set(id, {
      id,
      kind: 'deployment',
      title: `deployment ${deployment.name}`,
      subtitle: serves ? 'serves it now' : 'canary now',
      tone: 'good',
      href: hrefs.deployment(deployment.name),
    });
    edges.push({ from: versionId, to: id, label: serves ? 'serves' : 'canary' });
  }
}
