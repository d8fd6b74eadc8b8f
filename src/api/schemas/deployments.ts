import { anyJson, dateTime, nullable, ref } from './common.js';

/**
 * A deployment's status is the controller's document (src/controller/deployment-status.ts).
 * Its nested objects allow properties not listed here, so a field a newer controller adds is
 * passed on rather than dropped by the serializer.
 */

export const conditionSchema = {
  $id: 'Condition',
  type: 'object',
  required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
  properties: {
    type: { type: 'string', description: 'Ready, Reconciling, Stalled, Drifted, RolloutFailed...' },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    reason: { type: 'string' },
    message: { type: 'string' },
    lastTransitionTime: { type: 'string' },
  },
} as const;

const versionRef = {
  type: 'object',
  additionalProperties: true,
  properties: { version: { type: 'string' }, digest: { type: 'string' } },
} as const;

export const analysisCheckSchema = {
  $id: 'AnalysisCheck',
  type: 'object',
  required: ['name', 'value', 'threshold', 'passed'],
  description: 'One point of a rollout analysis: a measured value against its threshold.',
  properties: {
    name: { type: 'string' },
    value: nullable('number'),
    threshold: { type: 'number' },
    bound: {
      enum: ['max', 'min'],
      description: 'Whether the threshold is a maximum or a minimum (absent: a maximum).',
    },
    passed: { type: 'boolean' },
  },
} as const;

const rollout = {
  type: ['object', 'null'],
  additionalProperties: true,
  description: 'A rollout in progress: its step and its last analysis.',
  properties: {
    primary: versionRef,
    canary: versionRef,
    step: { type: 'integer' },
    failedChecks: { type: 'integer' },
    stepStartedAt: { type: 'string' },
    startedAt: { type: 'string' },
    revision: { type: 'string' },
    lastChecks: { type: 'array', items: ref('AnalysisCheck') },
  },
} as const;

const deploymentProperties = {
  name: { type: 'string' },
  updatedAt: { ...dateTime, description: 'When the controller last wrote this status.' },
  observedGeneration: nullable('string'),
  lastAttemptedRevision: nullable('string'),
  lastAppliedRevision: nullable('string'),
  conditions: { type: 'array', items: ref('Condition') },
  served: {
    type: ['object', 'null'],
    additionalProperties: true,
    properties: {
      model: { type: 'string' },
      version: { type: 'string' },
      digest: { type: 'string' },
    },
  },
  history: {
    type: 'array',
    description: 'Applied revisions, newest first.',
    items: {
      type: 'object',
      additionalProperties: true,
      properties: {
        revision: { type: 'string' },
        version: { type: 'string' },
        digest: { type: 'string' },
        appliedAt: { type: 'string' },
      },
    },
  },
  rollout,
  rolledBack: { type: ['object', 'null'], additionalProperties: true, properties: {} },
} as const;

export const deploymentSchema = {
  $id: 'Deployment',
  type: 'object',
  additionalProperties: true,
  required: Object.keys(deploymentProperties),
  properties: deploymentProperties,
} as const;

const liveModel = {
  type: ['object', 'null'],
  description: 'What the model server holds for the served model now; null without a live server.',
  properties: {
    versions: { type: 'array', items: { type: 'string' } },
    traffic: anyJson,
  },
} as const;

export const deploymentDetailSchema = {
  $id: 'DeploymentDetail',
  type: 'object',
  additionalProperties: true,
  required: [...Object.keys(deploymentProperties), 'live'],
  properties: { ...deploymentProperties, live: liveModel },
} as const;

const evidence = {
  type: 'object',
  additionalProperties: true,
  description: "A served version's live evidence over the window (as /v2/.../evidence answers).",
  properties: {
    model: { type: 'string' },
    version: { type: 'string' },
    window: anyJson,
    requests: anyJson,
    onlineAccuracy: anyJson,
    inputDrift: anyJson,
    predictionDrift: anyJson,
  },
} as const;

export const driftSchema = {
  $id: 'Drift',
  type: 'object',
  required: ['name', 'served', 'canary'],
  properties: {
    name: { type: 'string' },
    served: evidence,
    canary: {
      ...evidence,
      type: ['object', 'null'],
      description: 'The canary of a rollout in progress, compared with the served version.',
    },
  },
} as const;

export const actionAcceptedSchema = {
  $id: 'ActionAccepted',
  type: 'object',
  required: ['action', 'name', 'accepted'],
  properties: {
    action: { type: 'string', enum: ['reconcile', 'suspend', 'resume'] },
    name: nullable('string', { description: 'null: every deployment.' }),
    accepted: { type: 'boolean' },
  },
} as const;
