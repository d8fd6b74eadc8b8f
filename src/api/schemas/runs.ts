import { anyJson, dateTime, nullable, nullableDateTime, ref } from './common.js';

// Properties are listed in the order the store's records have them: the serializer writes
// them in this order, so `weft runs --json --remote` prints what the local command prints.

const runProperties = {
  id: { type: 'integer' },
  pipeline: { type: 'string' },
  commit: nullable('string', { description: 'Full sha of HEAD; null outside Git.' }),
  dirty: { type: 'boolean', description: 'The working tree had uncommitted changes.' },
  branch: nullable('string'),
  author: nullable('string'),
  targets: {
    type: 'array',
    items: { type: 'string' },
    description: 'Stages asked for; empty: all.',
  },
  startedAt: dateTime,
  status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
  finishedAt: nullableDateTime,
} as const;

export const runSchema = {
  $id: 'Run',
  type: 'object',
  required: Object.keys(runProperties),
  properties: runProperties,
} as const;

export const artifactSchema = {
  $id: 'Artifact',
  type: 'object',
  required: ['path', 'digest', 'size', 'kind'],
  properties: {
    path: { type: 'string' },
    digest: { type: 'string' },
    size: { type: 'integer' },
    kind: { type: 'string', enum: ['file', 'dir'] },
  },
} as const;

export const metricValueSchema = {
  $id: 'MetricValue',
  type: 'object',
  required: ['file', 'key', 'value'],
  properties: {
    file: { type: 'string', description: 'Metrics file, repo-relative.' },
    key: { type: 'string', description: 'Dotted path inside the file.' },
    value: { type: 'number' },
  },
} as const;

const stageProperties = {
  id: { type: 'integer' },
  runId: { type: 'integer' },
  stage: { type: 'string' },
  cacheKey: { type: 'string' },
  outcome: { type: 'string', enum: ['ran', 'restored', 'up-to-date', 'failed', 'skipped'] },
  reasons: { type: 'array', items: { type: 'string' } },
  startedAt: dateTime,
  durationMs: { type: 'number' },
  exitCode: nullable('integer'),
  logDigest: nullable('string'),
  params: { type: 'object', additionalProperties: anyJson },
  deps: { type: 'array', items: ref('Artifact') },
  outs: { type: 'array', items: ref('Artifact') },
  metrics: { type: 'array', items: ref('MetricValue') },
} as const;

export const stageExecutionSchema = {
  $id: 'StageExecution',
  type: 'object',
  required: Object.keys(stageProperties),
  properties: stageProperties,
} as const;

export const runDetailSchema = {
  $id: 'RunDetail',
  type: 'object',
  required: [...Object.keys(runProperties), 'stages'],
  properties: { ...runProperties, stages: { type: 'array', items: ref('StageExecution') } },
} as const;

const metricPointProperties = {
  id: { type: 'integer', description: 'Unique per recorded value.' },
  runId: { type: 'integer' },
  stage: { type: 'string' },
  file: { type: 'string' },
  key: { type: 'string' },
  value: { type: 'number' },
  pipeline: { type: 'string' },
  commit: nullable('string'),
  branch: nullable('string'),
  at: { ...dateTime, description: 'When the run started.' },
} as const;

export const metricPointSchema = {
  $id: 'MetricPoint',
  type: 'object',
  required: Object.keys(metricPointProperties),
  properties: metricPointProperties,
} as const;

const lineageNode = {
  type: 'object',
  required: ['kind', 'id'],
  properties: {
    kind: { type: 'string', enum: ['artifact', 'stage_execution', 'params', 'commit', 'run'] },
    id: { type: 'string' },
  },
} as const;

export const lineageEdgeSchema = {
  $id: 'LineageEdge',
  type: 'object',
  required: ['from', 'to', 'relation'],
  description: '`from` was made from, or depends on, `to`.',
  properties: {
    from: lineageNode,
    to: lineageNode,
    relation: {
      type: 'string',
      enum: ['produced_by', 'used', 'configured_by', 'built_from', 'part_of'],
    },
  },
} as const;

export const lineageSchema = {
  $id: 'Lineage',
  type: 'object',
  required: ['digest', 'edges'],
  properties: {
    digest: { type: 'string' },
    edges: { type: 'array', items: ref('LineageEdge') },
  },
} as const;
