import { describe, expect, it } from 'vitest';
import { digestJson } from '../core/digest.js';
import { planLineageEdges, type LineageSource } from './lineage.js';
import { sampleArtifact } from './metadata-store.fixtures.js';

const source: LineageSource = {
  executionId: 7,
  runId: 3,
  commit: 'f'.repeat(40),
  deps: [sampleArtifact('a.csv', 'same'), sampleArtifact('b.csv', 'same')],
  outs: [sampleArtifact('model.onnx')],
  params: { 'train.lr': 0.1 },
};

describe('planLineageEdges', () => {
  it('points every edge of an execution towards its inputs', () => {
    const execution = { kind: 'stage_execution', id: '7' };
    expect(planLineageEdges(source)).toEqual([
      {
        from: { kind: 'artifact', id: sampleArtifact('model.onnx').digest },
        to: execution,
        relation: 'produced_by',
      },
      { from: execution, to: { kind: 'artifact', id: source.deps[0]?.digest }, relation: 'used' },
      {
        from: execution,
        to: { kind: 'params', id: digestJson({ 'train.lr': 0.1 }) },
        relation: 'configured_by',
      },
      { from: execution, to: { kind: 'commit', id: 'f'.repeat(40) }, relation: 'built_from' },
      { from: execution, to: { kind: 'run', id: '3' }, relation: 'part_of' },
    ]);
  });

  it('adds no params edge without params and no commit edge outside Git', () => {
    const relations = planLineageEdges({ ...source, params: {}, commit: null }).map(
      (edge) => edge.relation,
    );
    expect(relations).toEqual(['produced_by', 'used', 'part_of']);
  });
});
