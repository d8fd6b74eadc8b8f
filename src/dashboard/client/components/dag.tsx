import { graphlib, layout } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { Graph, GraphNode } from '../model/graph.js';

export interface DagProps {
  graph: Graph;
  /** The figure's caption and the drawing's accessible name. */
  label: string;
  direction?: 'LR' | 'TB';
}

interface Placed {
  node: GraphNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

const NODE_HEIGHT = 44;
const CHAR_WIDTH = 7.2;

let instances = 0;

/** dagre places the nodes and routes the edges; this draws them as SVG, nodes as links. */
function place(graph: Graph, direction: 'LR' | 'TB') {
  const g = new graphlib.Graph();
  g.setGraph({ rankdir: direction, nodesep: 20, ranksep: 56, edgesep: 12, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const chars = Math.max(node.title.length, node.subtitle.length);
    g.setNode(node.id, { width: Math.ceil(chars * CHAR_WIDTH) + 24, height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) {
    if (g.hasNode(edge.from) && g.hasNode(edge.to)) g.setEdge(edge.from, edge.to);
  }
  layout(g);
  const placed: Placed[] = graph.nodes.map((node) => {
    const at = g.node(node.id);
    return { node, x: at.x, y: at.y, width: at.width, height: at.height };
  });
  const edges = g.edges().map((e) => ({
    key: `${e.v}->${e.w}`,
    points: g.edge(e).points ?? [],
  }));
  const size = g.graph();
  return { placed, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

export function Dag({ graph, label, direction = 'LR' }: DagProps) {
  const drawn = useMemo(() => place(graph, direction), [graph, direction]);
  const marker = useMemo(() => `dag-arrow-${++instances}`, []);
  const titles = new Map(graph.nodes.map((n) => [n.id, `${n.title} (${n.subtitle})`]));
  if (graph.nodes.length === 0) return <p class="muted">Nothing to draw.</p>;
  return (
    <figure class="dag">
      <figcaption>{label}</figcaption>
      <div class="dag-scroll">
        <svg
          role="img"
          aria-label={label}
          width={drawn.width}
          height={drawn.height}
          viewBox={`0 0 ${drawn.width} ${drawn.height}`}
        >
          <defs>
            <marker
              id={marker}
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" class="dag-arrow" />
            </marker>
          </defs>
          {drawn.edges.map((edge) => (
            <path
              key={edge.key}
              class="dag-edge"
              d={edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ')}
              marker-end={`url(#${marker})`}
            />
          ))}
          {drawn.placed.map((p) => (
            <DagNode key={p.node.id} placed={p} />
          ))}
        </svg>
      </div>
      <details class="dag-list">
        <summary>The same graph as a list</summary>
        <ul>
          {graph.edges.map((edge) => (
            <li key={`${edge.from}->${edge.to}`}>
              {titles.get(edge.from) ?? edge.from} → {edge.label ? `${edge.label} → ` : ''}
              {titles.get(edge.to) ?? edge.to}
            </li>
          ))}
        </ul>
      </details>
    </figure>
  );
}

function DagNode({ placed }: { placed: Placed }) {
  const { node, x, y, width, height } = placed;
  const body = (
    <g
      class={`dag-node tone-${node.tone}`}
      data-kind={node.kind}
      transform={`translate(${x - width / 2},${y - height / 2})`}
    >
      <title>{`${node.title}: ${node.subtitle}`}</title>
      <rect width={width} height={height} rx="6" />
      <text x="12" y="18" class="dag-title">
        {node.title}
      </text>
      <text x="12" y="34" class="dag-subtitle">
        {node.subtitle}
      </text>
    </g>
  );
  return node.href ? <a href={node.href}>{body}</a> : body;
}
