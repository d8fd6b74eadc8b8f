import { digestBytes, type Digest } from '../core/digest.js';
import type { ArtifactRef, NewRun, NewStageExecution } from './types.js';

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
