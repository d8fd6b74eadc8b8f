import { anyJson, dateTime, nullable, ref } from './common.js';

export const modelSummarySchema = {
  $id: 'ModelSummary',
  type: 'object',
  required: ['name', 'latestVersion', 'versionCount', 'aliases'],
  properties: {
    name: { type: 'string' },
    latestVersion: { type: 'integer' },
    versionCount: { type: 'integer' },
    aliases: {
      type: 'object',
      additionalProperties: { type: 'integer' },
      description: 'alias -> version',
    },
  },
} as const;

const tensor = {
  type: 'object',
  required: ['name', 'datatype', 'shape'],
  properties: {
    name: { type: 'string' },
    datatype: { type: 'string', description: 'Open Inference Protocol datatype.' },
    shape: { type: 'array', items: { type: 'integer' }, description: '-1: open dimension.' },
  },
} as const;

const versionProperties = {
  name: { type: 'string' },
  version: { type: 'integer' },
  digest: { type: 'string', description: "The artifact's digest." },
  size: { type: 'integer' },
  artifactPath: { type: 'string' },
  signature: {
    type: 'object',
    required: ['inputs', 'outputs'],
    properties: {
      inputs: { type: 'array', items: tensor },
      outputs: { type: 'array', items: tensor },
    },
  },
  metrics: { type: 'array', items: ref('MetricValue') },
  params: { type: 'object', additionalProperties: anyJson },
  commit: nullable('string'),
  dataDigests: { type: 'array', items: ref('Artifact') },
  runId: { type: 'integer' },
  stage: { type: 'string' },
  createdAt: dateTime,
  aliases: { type: 'array', items: { type: 'string' } },
} as const;

export const modelVersionSchema = {
  $id: 'ModelVersion',
  type: 'object',
  required: Object.keys(versionProperties),
  properties: versionProperties,
} as const;

export const modelVersionDetailSchema = {
  $id: 'ModelVersionDetail',
  type: 'object',
  required: [...Object.keys(versionProperties), 'lineage'],
  properties: {
    ...versionProperties,
    lineage: {
      type: 'array',
      items: ref('LineageEdge'),
      description: "Edges from the artifact towards its inputs (the artifact's lineage).",
    },
  },
} as const;

const checkProperties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  version: { type: 'integer' },
  kind: { type: 'string', enum: ['evaluation', 'validation'] },
  datasetPath: { type: 'string' },
  datasetDigest: { type: 'string' },
  configDigest: { type: 'string' },
  passed: nullable('boolean', {
    description: 'Validations: every gate passed; evaluations: null.',
  }),
  result: { ...anyJson, description: 'Metrics, fairness, importance; or the gate verdicts.' },
  actor: { type: 'string' },
  createdAt: dateTime,
} as const;

export const modelCheckSchema = {
  $id: 'ModelCheck',
  type: 'object',
  required: Object.keys(checkProperties),
  properties: checkProperties,
} as const;

export const aliasSchema = {
  $id: 'Alias',
  type: 'object',
  required: ['alias', 'version'],
  properties: { alias: { type: 'string' }, version: { type: 'integer' } },
} as const;

const aliasEventProperties = {
  name: { type: 'string' },
  alias: { type: 'string' },
  version: nullable('integer', { description: 'null: the alias was removed.' }),
  previousVersion: nullable('integer'),
  actor: { type: 'string' },
  reason: { type: 'string' },
  at: dateTime,
} as const;

export const aliasEventSchema = {
  $id: 'AliasEvent',
  type: 'object',
  required: Object.keys(aliasEventProperties),
  properties: aliasEventProperties,
} as const;
