import type {
  AuditEntry,
  Deployment,
  DeploymentDetail,
  RunDetail,
  StageExecution,
} from '../api/types.js';

/** Plain API answers for the client's unit tests, as the API serializes them. */

const AT = '2026-11-27T10:00:00.000Z';
export const digest = (text: string): string => `sha256:${text.padEnd(64, '0').slice(0, 64)}`;

export function sampleDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    name: 'penguins',
    updatedAt: AT,
    observedGeneration: digest('gen'),
    lastAttemptedRevision: `main@sha1:${'b'.repeat(40)}`,
    lastAppliedRevision: `main@sha1:${'b'.repeat(40)}`,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Applied',
        message: 'serving penguins@1',
        lastTransitionTime: AT,
      },
    ],
    served: { model: 'penguins', version: '1', digest: digest('a1') },
    history: [
      {
        revision: `main@sha1:${'b'.repeat(40)}`,
        version: '1',
        digest: digest('a1'),
        appliedAt: AT,
      },
    ],
    rollout: null,
    rolledBack: null,
    ...overrides,
  };
}

export function sampleDetail(overrides: Partial<DeploymentDetail> = {}): DeploymentDetail {
  return { ...sampleDeployment(), live: null, ...overrides };
}

export function sampleAudit(
  id: number,
  action: string,
  after: unknown,
  before: unknown = null,
): AuditEntry {
  return {
    id,
    at: new Date(Date.parse(AT) + id * 1000).toISOString(),
    actor: 'controller',
    action,
    object: { kind: 'ModelDeployment', name: 'penguins' },
    revision: `main@sha1:${'c'.repeat(40)}`,
    before,
    after,
    prevHash: '',
    hash: '',
  };
}

export function sampleStage(
  stage: string,
  deps: string[],
  outs: string[],
  overrides: Partial<StageExecution> = {},
): StageExecution {
  const artifact = (path: string) => ({
    path,
    digest: digest(path.replace(/\W/g, '')),
    size: 10,
    kind: 'file' as const,
  });
  return {
    id: 1,
    runId: 1,
    stage,
    cacheKey: digest(stage),
    outcome: 'ran',
    reasons: [],
    startedAt: AT,
    durationMs: 1200,
    exitCode: 0,
    logDigest: null,
    params: {},
    deps: deps.map(artifact),
    outs: outs.map(artifact),
    metrics: [],
    ...overrides,
  };
}

export function sampleRunDetail(id: number, stages: StageExecution[]): RunDetail {
  return {
    id,
    pipeline: 'penguins',
    commit: 'f'.repeat(40),
    dirty: false,
    branch: 'main',
    author: 'Test <t@example.com>',
    targets: [],
    startedAt: AT,
    status: 'succeeded',
    finishedAt: AT,
    stages,
  };
}
