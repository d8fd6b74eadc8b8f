import { digestJson, type Digest } from '../core/digest.js';
import type {
  LineageEdge,
  MetadataStore,
  ModelVersion,
  RunDetail,
  StageExecutionRecord,
} from '../registry/types.js';

export type LineageNodeView = {
  /** `kind:id`, unique in the graph. */
  key: string;
  kind: 'model' | 'alias' | 'artifact' | 'stage_execution' | 'params' | 'commit';
  label: string;
};

/** Edges point from a thing to what it was made from, as in the registry. */
export interface LineageView {
  nodes: LineageNodeView[];
  edges: Array<{ from: string; to: string; relation: string }>;
}

/**
 * The chain behind a model version: aliases -> version -> artifact -> the stage execution that
 * first produced it -> its params, commit and input artifacts -> the executions that produced
 * those, and so on. An artifact restored in later runs keeps only its first producer.
 */
export async function describeModelLineage(
  metadata: MetadataStore,
  version: ModelVersion,
): Promise<LineageView> {
  const edges = firstProducers(await metadata.lineage(version.digest));
  const executions = await loadExecutions(metadata, edges);
  const view: LineageView = { nodes: [], edges: [] };
  const added = new Set<string>();
  const addNode = (node: LineageNodeView): void => {
    if (added.has(node.key)) return;
    added.add(node.key);
    view.nodes.push(node);
  };
  const modelKey = `model:${version.name}@${version.version}`;
  addNode({ key: modelKey, kind: 'model', label: `${version.name}@${version.version}` });
  for (const alias of version.aliases) {
    addNode({ key: `alias:${alias}`, kind: 'alias', label: `${version.name}:${alias}` });
    view.edges.push({ from: `alias:${alias}`, to: modelKey, relation: 'points_to' });
  }
  const paths = artifactPaths(executions, version);
  view.edges.push({ from: modelKey, to: `artifact:${version.digest}`, relation: 'is' });
  addNode(artifactNode(version.digest, paths));
  for (const edge of edges) {
    for (const end of [edge.from, edge.to]) {
      if (end.kind === 'run') continue;
      addNode(describeNode(end.kind, end.id, executions, paths));
    }
    if (edge.to.kind === 'run') continue;
    view.edges.push({
      from: `${edge.from.kind}:${edge.from.id}`,
      to: `${edge.to.kind}:${edge.to.id}`,
      relation: edge.relation,
    });
  }
  return view;
}

/** Keeps, for every artifact, only the oldest execution that produced it, and what it reaches. */
function firstProducers(edges: LineageEdge[]): LineageEdge[] {
  const first = new Map<string, number>();
  for (const e of edges) {
    if (e.relation !== 'produced_by') continue;
    const id = Number(e.to.id);
    first.set(e.from.id, Math.min(first.get(e.from.id) ?? id, id));
  }
  const kept = edges.filter(
    (e) => e.relation !== 'produced_by' || first.get(e.from.id) === Number(e.to.id),
  );
  const usedExecutions = new Set([...first.values()].map(String));
  return kept.filter((e) => e.from.kind !== 'stage_execution' || usedExecutions.has(e.from.id));
}

async function loadExecutions(
  metadata: MetadataStore,
  edges: LineageEdge[],
): Promise<Map<string, StageExecutionRecord>> {
  const runIds = new Set(edges.filter((e) => e.to.kind === 'run').map((e) => Number(e.to.id)));
  const runs = await Promise.all([...runIds].map((id) => metadata.getRun(id)));
  const executions = new Map<string, StageExecutionRecord>();
  for (const run of runs.filter((r): r is RunDetail => r !== undefined)) {
    for (const stage of run.stages) executions.set(String(stage.id), stage);
  }
  return executions;
}

function artifactPaths(
  executions: Map<string, StageExecutionRecord>,
  version: ModelVersion,
): Map<string, string> {
  const paths = new Map<string, string>([[version.digest, version.artifactPath]]);
  for (const execution of executions.values()) {
    for (const ref of [...execution.deps, ...execution.outs]) {
      if (!paths.has(ref.digest)) paths.set(ref.digest, ref.path);
    }
  }
  return paths;
}

function artifactNode(digest: string, paths: Map<string, string>): LineageNodeView {
  const path = paths.get(digest);
  const short = digest.slice(0, 19);
  return { key: `artifact:${digest}`, kind: 'artifact', label: path ? `${path} ${short}` : short };
}

function describeNode(
  kind: string,
  id: string,
  executions: Map<string, StageExecutionRecord>,
  paths: Map<string, string>,
): LineageNodeView {
  if (kind === 'artifact') return artifactNode(id, paths);
  if (kind === 'stage_execution') {
    const execution = executions.get(id);
    const label = execution
      ? `stage ${execution.stage} (run ${execution.runId}, ${execution.outcome})`
      : `stage execution ${id}`;
    return { key: `stage_execution:${id}`, kind: 'stage_execution', label };
  }
  if (kind === 'params') {
    return { key: `params:${id}`, kind: 'params', label: paramsLabel(executions, id) };
  }
  return { key: `commit:${id}`, kind: 'commit', label: `commit ${id.slice(0, 10)}` };
}

/** The params node's id is the digest of the values; find an execution that used them. */
function paramsLabel(executions: Map<string, StageExecutionRecord>, id: string): string {
  for (const execution of executions.values()) {
    const entries = Object.entries(execution.params);
    if (entries.length > 0 && digestJson(execution.params) === id) {
      return entries.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ');
    }
  }
  return `params ${id.slice(0, 19)}`;
}

/** Which versions of any model have `digest` anywhere in their lineage (data, code, models). */
export async function findVersionsUsing(
  metadata: MetadataStore,
  digest: Digest,
): Promise<ModelVersion[]> {
  const found: ModelVersion[] = [];
  for (const model of await metadata.listModels()) {
    for (const version of await metadata.listModelVersions(model.name, { limit: 1000 })) {
      const edges = await metadata.lineage(version.digest);
      const used = version.digest === digest || edges.some((e) => e.to.id === digest);
      if (used) found.push(version);
    }
  }
  return found;
}

/** Mermaid flowchart, drawn in the direction data flows (inputs on the left). */
export function renderMermaid(view: LineageView): string {
  const ids = new Map(view.nodes.map((node, i) => [node.key, `n${i}`]));
  const shape = (node: LineageNodeView): string => {
    const text = node.label.replace(/"/g, "'");
    if (node.kind === 'stage_execution') return `[["${text}"]]`;
    if (node.kind === 'model' || node.kind === 'alias') return `(["${text}"])`;
    return `["${text}"]`;
  };
  return [
    'flowchart LR',
    ...view.nodes.map((node) => `  ${ids.get(node.key)}${shape(node)}`),
    ...view.edges.map((e) => `  ${ids.get(e.to)} --> ${ids.get(e.from)}`),
  ].join('\n');
}

/** Graphviz DOT, same direction as the Mermaid rendering. */
export function renderDot(view: LineageView): string {
  const quote = (text: string): string => JSON.stringify(text);
  return [
    'digraph lineage {',
    '  rankdir=LR;',
    ...view.nodes.map(
      (n) =>
        `  ${quote(n.key)} [label=${quote(n.label)}, shape=${n.kind === 'stage_execution' ? 'box' : 'ellipse'}];`,
    ),
    ...view.edges.map((e) => `  ${quote(e.to)} -> ${quote(e.from)} [label=${quote(e.relation)}];`),
    '}',
  ].join('\n');
}

/** An indented tree from the version down to its first inputs; a node shown once. */
export function renderTree(view: LineageView): string {
  const labels = new Map(view.nodes.map((n) => [n.key, n.label]));
  const children = new Map<string, string[]>();
  for (const e of view.edges) {
    if (e.relation === 'points_to') continue;
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
  }
  const lines: string[] = [];
  const shown = new Set<string>();
  const walk = (key: string, depth: number): void => {
    const again = shown.has(key);
    lines.push(`${'  '.repeat(depth)}${labels.get(key) ?? key}${again ? ' (see above)' : ''}`);
    if (again) return;
    shown.add(key);
    for (const child of children.get(key) ?? []) walk(child, depth + 1);
  };
  const root = view.nodes.find((n) => n.kind === 'model');
  if (root) walk(root.key, 0);
  const aliases = view.nodes.filter((n) => n.kind === 'alias').map((n) => n.label);
  if (aliases.length > 0) lines.push(`aliases: ${aliases.join(', ')}`);
  return lines.join('\n');
}
