import { digestBytes, type Digest } from '../core/digest.js';
import type {
  AliasChange,
  ArtifactRef,
  NewModelVersion,
  NewRun,
  NewStageExecution,
} from './types.js';

/** Small builders for contract tests: valid records that each case changes only where it cares. */

export function sampleRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    pipeline: 'penguins',
    commit: 'a'.repeat(40),
    dirty: false,
    branch: 'main',
    author: 'Ada <ada@example.com>',
    targets: [],
    startedAt: new Date('2026-01-02T03:04:05.678Z'),
    ...overrides,
  };
}

export function sampleArtifact(path: string, content = path): ArtifactRef {
  return { path, digest: digestOf(content), size: content.length, kind: 'file' };
}

export function sampleExecution(
  runId: number,
  overrides: Partial<NewStageExecution> = {},
): NewStageExecution {
  return {
    runId,
    stage: 'train',
    cacheKey: digestOf('key-train'),
    outcome: 'ran',
    reasons: ['dep data/train.csv changed', 'param train.lr changed'],
    startedAt: new Date('2026-01-02T03:04:06.000Z'),
    durationMs: 1234,
    exitCode: 0,
    logDigest: digestOf('log-train'),
    deps: [sampleArtifact('data/train.csv')],
    params: { 'train.lr': 0.01, 'train.layers': [8, 4], 'train.name': 'mlp' },
    outs: [sampleArtifact('model.onnx')],
    metrics: [{ file: 'metrics.json', key: 'test.accuracy', value: 0.9375 }],
    ...overrides,
  };
}

export function digestOf(content: string): Digest {
  return digestBytes(content);
}

export function sampleModelVersion(overrides: Partial<NewModelVersion> = {}): NewModelVersion {
  return {
    name: 'credit',
    digest: digestOf('model-bytes'),
    size: 4096,
    artifactPath: 'models/credit.onnx',
    signature: {
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 12] }],
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
    },
    metrics: [{ file: 'metrics.json', key: 'test.auc', value: 0.875 }],
    params: { 'train.lr': 0.01, 'train.layers': [8, 4] },
    commit: 'a'.repeat(40),
    dataDigests: [sampleArtifact('data/credit.csv')],
    runId: 1,
    stage: 'train',
    createdAt: new Date('2026-01-02T03:04:07.000Z'),
    ...overrides,
  };
}

export function sampleAliasChange(overrides: Partial<AliasChange> = {}): AliasChange {
  return {
    actor: 'Ada <ada@example.com>',
    reason: 'beats production on AUC',
    at: new Date('2026-01-03T10:00:00.000Z'),
    ...overrides,
  };
}
