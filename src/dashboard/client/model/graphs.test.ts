import { describe, expect, it } from 'vitest';
import type { LineageEdge, ModelVersion } from '../api/types.js';
import { digest, sampleDeployment, sampleRunDetail, sampleStage } from './api.fixtures.js';
import { buildLineageGraph } from './lineage-graph.js';
import { buildStageGraph } from './stage-graph.js';

describe('buildStageGraph', () => {
  it('links a stage to the stages whose outputs it used, and says how each went', () => {
    const graph = buildStageGraph([
      sampleStage('prepare', ['data/raw.csv'], ['data/train.csv', 'data/test.csv'], {
        outcome: 'restored',
      }),
      sampleStage('train', ['data/train.csv'], ['model'], { outcome: 'ran', durationMs: 2500 }),
      sampleStage('evaluate', ['data/test.csv', 'model/model.onnx'], ['metrics.json'], {
        outcome: 'failed',
      }),
    ]);
    expect(graph.edges).toEqual([
      { from: 'prepare', to: 'train' },
      { from: 'prepare', to: 'evaluate' },
      { from: 'train', to: 'evaluate' },
    ]);
    expect(graph.nodes.map((n) => [n.id, n.subtitle, n.tone])).toEqual([
      ['prepare', 'cached (restored) · 1.2 s', 'cached'],
      ['train', 'ran · 2.5 s', 'good'],
      ['evaluate', 'failed · 1.2 s', 'bad'],
    ]);
  });

  it('draws the newest execution of a stage run twice', () => {
    const graph = buildStageGraph([
      sampleStage('train', [], ['model'], { outcome: 'failed' }),
      sampleStage('train', [], ['model'], { outcome: 'ran' }),
    ]);
    expect(graph.nodes).toHaveLength(1);
    expect(graph.nodes[0]?.tone).toBe('good');
  });
});

describe('buildLineageGraph', () => {
  const model = digest('model');
  const data = digest('data');
  const version: ModelVersion = {
    name: 'penguins',
    version: 2,
    digest: model,
    size: 100,
    artifactPath: 'model/model.onnx',
    metrics: [],
    params: {},
    commit: 'a'.repeat(40),
    dataDigests: [{ path: 'data/train.csv', digest: data, size: 1, kind: 'file' }],
    runId: 4,
    stage: 'train',
    createdAt: '2026-11-27T10:00:00.000Z',
    aliases: ['production'],
  };
  const edges: LineageEdge[] = [
    {
      from: { kind: 'artifact', id: model },
      to: { kind: 'stage_execution', id: '9' },
      relation: 'produced_by',
    },
    {
      from: { kind: 'stage_execution', id: '9' },
      to: { kind: 'artifact', id: data },
      relation: 'used',
    },
    {
      from: { kind: 'stage_execution', id: '9' },
      to: { kind: 'commit', id: 'a'.repeat(40) },
      relation: 'built_from',
    },
    {
      from: { kind: 'stage_execution', id: '9' },
      to: { kind: 'run', id: '4' },
      relation: 'part_of',
    },
  ];
  const run = sampleRunDetail(4, [
    sampleStage('train', ['data/train.csv'], ['model/model.onnx'], { id: 9, runId: 4 }),
  ]);

  it('reads from commit and data to the version and the deployment serving it', () => {
    const graph = buildLineageGraph({
      version,
      edges,
      runs: [run],
      deployments: [
        sampleDeployment({ served: { model: 'penguins', version: '2', digest: model } }),
        sampleDeployment({
          name: 'elsewhere',
          served: { model: 'penguins', version: '1', digest: data },
        }),
      ],
    });
    const title = (id: string) => graph.nodes.find((n) => n.id === id)?.title;
    expect(title(`artifact:${data}`)).toBe('data/train.csv');
    expect(title('stage_execution:9')).toBe('stage train');
    expect(title(`commit:${'a'.repeat(40)}`)).toBe('commit aaaaaaa');
    expect(graph.edges).toContainEqual({
      from: `artifact:${data}`,
      to: 'stage_execution:9',
      label: 'used by',
    });
    expect(graph.edges).toContainEqual({
      from: 'stage_execution:9',
      to: `artifact:${model}`,
      label: 'produced',
    });
    expect(graph.edges).toContainEqual({
      from: `artifact:${model}`,
      to: 'version:penguins@2',
      label: 'registered',
    });
    expect(graph.edges).toContainEqual({
      from: 'version:penguins@2',
      to: 'deployment:penguins',
      label: 'serves',
    });
    expect(graph.nodes.some((n) => n.id === 'deployment:elsewhere')).toBe(false);
    expect(graph.nodes.find((n) => n.id === 'deployment:penguins')?.href).toBe(
      '#/deployments/penguins',
    );
  });

  it('names what it cannot look up by id rather than leaving it out', () => {
    const graph = buildLineageGraph({ version, edges, runs: [], deployments: [] });
    expect(graph.nodes.find((n) => n.id === 'stage_execution:9')?.title).toBe('stage execution 9');
    expect(graph.nodes.find((n) => n.id === `artifact:${data}`)?.title).toBe('data/train.csv');
  });
});
