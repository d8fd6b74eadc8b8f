import { describe, expect, it } from 'vitest';
import type { ResolvedStage } from '../spec/types.js';
import type { PathDigest } from '../store/types.js';
import { CACHE_TOOL_VERSION, computeCacheKey, type CacheKeyInput } from './cache-key.js';
import type { LockedStage } from './lockfile.js';
import { decideStage, explainStaleness, flatten, type ObservedStage } from './staleness.js';
import { fakeDigest } from '../../test/utils/fixtures.js';

const STAGE: ResolvedStage = {
  name: 'train',
  cmd: 'node train.js',
  wdir: '.',
  deps: ['data/train.csv', 'src/train.js'],
  params: ['train'],
  outs: ['model'],
  metrics: ['metrics.json'],
  env: { SEED: '1' },
  alwaysRun: false,
  location: { file: 'weft.yaml', line: 1, col: 1 },
};

const INPUT: CacheKeyInput = {
  tool: CACHE_TOOL_VERSION,
  cmd: 'node train.js',
  wdir: '.',
  deps: [
    { path: 'data/train.csv', digest: fakeDigest('a') },
    { path: 'src/train.js', digest: fakeDigest('b') },
  ],
  params: { train: { lr: 0.1, layers: [64, 32] } },
  env: { SEED: '1' },
  outs: ['metrics.json', 'model'],
};

const OUTS: Record<string, PathDigest> = {
  'metrics.json': { digest: fakeDigest('d'), size: 40, kind: 'file' },
  model: { digest: fakeDigest('c'), size: 900, kind: 'dir' },
};

/** The lock entry the stage wrote when it last ran with `input`. */
function lockedFor(input: CacheKeyInput): LockedStage {
  return {
    key: computeCacheKey(input),
    cmd: input.cmd,
    deps: input.deps.map((d) => ({ ...d, size: 1 })),
    params: input.params,
    env: input.env,
    outs: Object.entries(OUTS).map(([path, out]) => ({ path, ...out })),
  };
}

/**
 * An observation of the workspace: by default everything matches the lock. `input` and `outs`
 * change what is there now; `locked` changes what the lock says.
 */
function observe(
  change: {
    stage?: Partial<ResolvedStage>;
    input?: Partial<CacheKeyInput>;
    outs?: Record<string, PathDigest | undefined>;
    locked?: Partial<LockedStage> | null;
  } = {},
): ObservedStage {
  const input = { ...INPUT, ...change.input };
  return {
    stage: { ...STAGE, ...change.stage },
    input,
    key: computeCacheKey(input),
    outs: new Map(Object.entries({ ...OUTS, ...change.outs })),
    locked: change.locked === null ? undefined : { ...lockedFor(INPUT), ...change.locked },
  };
}

describe('explainStaleness', () => {
  it('says nothing when the workspace matches the lock', () => {
    expect(explainStaleness(observe())).toEqual([]);
  });

  it('says a stage missing from the lock never ran', () => {
    expect(explainStaleness(observe({ locked: null }))).toEqual(['never run (not in weft.lock)']);
  });

  it('says the cmd changed', () => {
    expect(explainStaleness(observe({ input: { cmd: 'node train.js --fast' } }))).toEqual([
      'cmd changed',
    ]);
  });

  it('names a dep whose digest changed', () => {
    const deps = [INPUT.deps[0]!, { path: 'src/train.js', digest: fakeDigest('e') }];
    expect(explainStaleness(observe({ input: { deps } }))).toEqual(['dep src/train.js changed']);
  });

  it('names an added dep', () => {
    const deps = [...INPUT.deps, { path: 'src/util.js', digest: fakeDigest('f') }];
    expect(explainStaleness(observe({ input: { deps } }))).toEqual(['dep src/util.js added']);
  });

  it('names a removed dep', () => {
    expect(explainStaleness(observe({ input: { deps: [INPUT.deps[1]!] } }))).toEqual([
      'dep data/train.csv removed',
    ]);
  });

  it('names a nested param by its dotted path with old and new values', () => {
    const params = { train: { lr: 0.2, layers: [64, 32] } };
    expect(explainStaleness(observe({ input: { params } }))).toEqual([
      'param train.lr changed (0.1 -> 0.2)',
    ]);
  });

  it('treats an array param as one value', () => {
    const params = { train: { lr: 0.1, layers: [64, 16] } };
    expect(explainStaleness(observe({ input: { params } }))).toEqual([
      'param train.layers changed ([64,32] -> [64,16])',
    ]);
  });

  it('names added and removed params', () => {
    const params = { train: { layers: [64, 32], momentum: 0.9 } };
    expect(explainStaleness(observe({ input: { params } }))).toEqual([
      'param train.lr removed',
      'param train.momentum added (0.9)',
    ]);
  });

  it('ignores the key order of params', () => {
    const params = { train: { layers: [64, 32], lr: 0.1 } };
    expect(explainStaleness(observe({ input: { params } }))).toEqual([]);
  });

  it('shortens long param values', () => {
    const locked = { params: { train: { lr: 0.1, layers: [64, 32] }, note: 'x'.repeat(50) } };
    const input = { params: { train: INPUT.params.train, note: 'y'.repeat(50) } };
    expect(explainStaleness(observe({ locked, input }))).toEqual([
      `param note changed ("${'x'.repeat(36)}... -> "${'y'.repeat(36)}...)`,
    ]);
  });

  it('names a changed env variable with quoted values', () => {
    expect(explainStaleness(observe({ input: { env: { SEED: '2' } } }))).toEqual([
      'env SEED changed ("1" -> "2")',
    ]);
  });

  it('names a missing out', () => {
    expect(explainStaleness(observe({ outs: { model: undefined } }))).toEqual([
      'out model missing',
    ]);
  });

  it('names a modified out', () => {
    const outs = { 'metrics.json': { digest: fakeDigest('9'), size: 40, kind: 'file' as const } };
    expect(explainStaleness(observe({ outs }))).toEqual(['out metrics.json modified']);
  });

  it('names outs added to and removed from the stage', () => {
    expect(explainStaleness(observe({ input: { outs: ['metrics.json', 'plots'] } }))).toEqual([
      'out plots added',
      'out model removed',
    ]);
  });

  it('says alwaysRun is set even when all else matches', () => {
    expect(explainStaleness(observe({ stage: { alwaysRun: true } }))).toEqual(['alwaysRun is set']);
  });

  it('says the definition changed when only the key differs', () => {
    expect(explainStaleness(observe({ input: { wdir: 'src' } }))).toEqual([
      'stage definition or weft cache format changed',
    ]);
  });

  it('lists every cause in the order a user would check them', () => {
    const observed = observe({
      stage: { alwaysRun: true },
      input: {
        cmd: 'node train.js --fast',
        deps: [{ path: 'data/train.csv', digest: fakeDigest('0') }],
        params: { train: { lr: 0.2, layers: [64, 32] } },
        env: { SEED: '2' },
      },
      outs: { model: undefined },
    });
    expect(explainStaleness(observed)).toEqual([
      'cmd changed',
      'dep data/train.csv changed',
      'dep src/train.js removed',
      'param train.lr changed (0.1 -> 0.2)',
      'env SEED changed ("1" -> "2")',
      'out model missing',
      'alwaysRun is set',
    ]);
  });
});

describe('flatten', () => {
  it('turns nested objects into dotted leaves and keeps arrays and nulls whole', () => {
    expect(flatten({ a: { b: { c: 1 }, d: [1, { e: 2 }] }, f: null, g: 'x' })).toEqual({
      'a.b.c': 1,
      'a.d': [1, { e: 2 }],
      f: null,
      g: 'x',
    });
  });
});

describe('decideStage', () => {
  const options = { force: false, alwaysRun: false, cached: false };

  it('runs a forced stage and puts --force first', () => {
    expect(decideStage(['cmd changed'], { ...options, force: true, cached: true })).toEqual({
      action: 'run',
      reasons: ['--force', 'cmd changed'],
    });
    expect(decideStage([], { ...options, force: true })).toEqual({
      action: 'run',
      reasons: ['--force'],
    });
  });

  it('skips an up-to-date stage', () => {
    expect(decideStage([], { ...options, cached: true })).toEqual({
      action: 'skip',
      reasons: ['up to date'],
    });
  });

  it('restores a stale stage whose key is cached', () => {
    expect(decideStage(['dep a changed'], { ...options, cached: true })).toEqual({
      action: 'restore',
      reasons: ['dep a changed'],
    });
  });

  it('runs a cached stage that has alwaysRun set', () => {
    expect(
      decideStage(['alwaysRun is set'], { ...options, cached: true, alwaysRun: true }),
    ).toEqual({
      action: 'run',
      reasons: ['alwaysRun is set'],
    });
  });

  it('runs a stale stage whose key is not cached', () => {
    expect(decideStage(['never run (not in weft.lock)'], options)).toEqual({
      action: 'run',
      reasons: ['never run (not in weft.lock)'],
    });
  });
});
