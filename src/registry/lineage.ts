import { sql, type Kysely } from 'kysely';
import { digestJson, type Digest } from '../core/digest.js';
import type { MetadataDatabase } from './schema.js';
import type { ArtifactRef, LineageEdge, LineageNode, LineageNodeKind } from './types.js';

export interface LineageSource {
  executionId: number;
  runId: number;
  commit: string | null;
  deps: readonly ArtifactRef[];
  outs: readonly ArtifactRef[];
  params: Record<string, unknown>;
}

/**
 * The edges one stage execution adds, each pointing towards what it came from:
 *
 *   out artifact --produced_by--> stage_execution --used----------> dep artifact
 *                                                 --configured_by-> params (digest of values)
 *                                                 --built_from----> commit
 *                                                 --part_of-------> run
 *
 * Artifacts are identified by digest, so a dep is the same node as the out of the stage that
 * wrote it, which is what lets `lineage` walk across stages. Duplicates (two deps with equal
 * content) are dropped; stages without params or runs outside Git get no such edge.
 */
export function planLineageEdges(source: LineageSource): LineageEdge[] {
  const execution: LineageNode = { kind: 'stage_execution', id: String(source.executionId) };
  const edges: LineageEdge[] = [
    ...source.outs.map((out): LineageEdge => ({
      from: artifactNode(out.digest),
      to: execution,
      relation: 'produced_by',
    })),
    ...source.deps.map((dep): LineageEdge => ({
      from: execution,
      to: artifactNode(dep.digest),
      relation: 'used',
    })),
  ];
  if (Object.keys(source.params).length > 0) {
    const params: LineageNode = { kind: 'params', id: digestJson(source.params) };
    edges.push({ from: execution, to: params, relation: 'configured_by' });
  }
  if (source.commit !== null) {
    edges.push({
      from: execution,
      to: { kind: 'commit', id: source.commit },
      relation: 'built_from',
    });
  }
  edges.push({
    from: execution,
    to: { kind: 'run', id: String(source.runId) },
    relation: 'part_of',
  });
  return dropDuplicateEdges(edges);
}

function artifactNode(digest: Digest): LineageNode {
  return { kind: 'artifact', id: digest };
}

function dropDuplicateEdges(edges: LineageEdge[]): LineageEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = [edge.from.kind, edge.from.id, edge.relation, edge.to.kind, edge.to.id].join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface EdgeRow {
  from_kind: string;
  from_id: string;
  to_kind: string;
  to_id: string;
  relation: string;
}

/**
 * Every edge reachable from the artifact towards its inputs, each once, in the order first
 * recorded. `union` (not `union all`) makes the walk stop at nodes already reached.
 */
export async function queryLineage(
  db: Kysely<MetadataDatabase>,
  digest: Digest,
): Promise<LineageEdge[]> {
  const { rows } = await sql<EdgeRow>`
    with recursive reached(kind, id) as (
      select cast(${'artifact'} as text), cast(${digest} as text)
      union
      select e.to_kind, e.to_id
      from lineage_edges e join reached r on e.from_kind = r.kind and e.from_id = r.id
    )
    select e.from_kind, e.from_id, e.to_kind, e.to_id, e.relation, min(e.id) as first_id
    from lineage_edges e join reached r on e.from_kind = r.kind and e.from_id = r.id
    group by e.from_kind, e.from_id, e.to_kind, e.to_id, e.relation
    order by first_id`.execute(db);
  return rows.map((row) => ({
    from: { kind: row.from_kind as LineageNodeKind, id: row.from_id },
    to: { kind: row.to_kind as LineageNodeKind, id: row.to_id },
    relation: row.relation as LineageEdge['relation'],
  }));
}
