/** A graph to lay out and draw: nodes with words (never only a colour) and directed edges. */
export interface GraphNode {
  id: string;
  /** First line, e.g. `train` or `penguins@2`. */
  title: string;
  /** Second line, e.g. `ran · 1.2 s` or `commit 2d84e31`. */
  subtitle: string;
  /** Drives the shape's style; the subtitle says the same in words. */
  tone: 'good' | 'bad' | 'cached' | 'neutral' | 'highlight';
  kind: string;
  href?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
