import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type Digest } from '../core/digest.js';
import type { ResolvedStage } from '../spec/types.js';
import {
  CACHE_TOOL_VERSION,
  compareStrings,
  computeCacheKey,
  describeStageInputs,
  type CacheKeyInput,
  type DepDigest,
} from './cache-key.js';
import { fakeDigest } from '../../test/utils/fixtures.js';

const BASE: CacheKeyInput = {
  tool: CACHE_TOOL_VERSION,
  cmd: 'node train.js',
  wdir: '.',
  deps: [
    { path: 'data/train.csv', digest: fakeDigest('a') },
    { path: 'src/train.js', digest: fakeDigest('b') },
  ],
  params: { train: { lr: 0.1, epochs: 10 }, seed: 1 },
  env: { SEED: '1', MODE: 'fast' },
  outs: ['metrics.json', 'model'],
};

const keyOf = (change: Partial<CacheKeyInput>): Digest => computeCacheKey({ ...BASE, ...change });

function stage(fields: Partial<ResolvedStage> = {}): ResolvedStage {
  return {
    name: 'train',
    cmd: 'node train.js',
    wdir: '.',
    deps: [],
    params: [],
    outs: ['model'],
    metrics: ['metrics.json'],
    env: { SEED: '1' },
    alwaysRun: false,
    location: { file: 'weft.yaml', line: 1, col: 1 },
    ...fields,
  };
}

/** Rebuilds a JSON value with every object's keys in a random order, arrays left in place. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    // defineProperty, not assignment: a `__proto__` key must stay an own key.
    Object.defineProperty(out, k, {
      value: shuffleKeys(v, random),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  return items
    .map((item) => ({ item, rank: random() }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ item }) => item);
}

const seeded = (seed: number): (() => number) => {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state / 2 ** 32;
  };
};

const digestArb = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex): Digest => `sha256:${hex}`);
const pathArb = fc.stringMatching(/^[a-z]{1,6}(\/[a-z0-9._-]{1,8}){0,2}$/);
const inputArb: fc.Arbitrary<CacheKeyInput> = fc.record({
  tool: fc.constant(CACHE_TOOL_VERSION),
  cmd: fc.string(),
  wdir: fc.constantFrom('.', 'src', 'stages/train'),
  deps: fc.uniqueArray(fc.record({ path: pathArb, digest: digestArb }), {
    selector: (d) => d.path,
    maxLength: 6,
  }),
  params: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
  env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), fc.string()),
  outs: fc.uniqueArray(pathArb, { maxLength: 5 }),
});

describe('computeCacheKey changes when an input that decides the output changes', () => {
  const base = computeCacheKey(BASE);

  it('is a sha256 digest', () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<CacheKeyInput>]>([
    ['cmd', { cmd: 'node train.js --fast' }],
    [
      'a dep digest',
      { deps: [BASE.deps[0] as DepDigest, { path: 'src/train.js', digest: fakeDigest('c') }] },
    ],
    [
      'a dep path',
      { deps: [BASE.deps[0] as DepDigest, { path: 'src/train2.js', digest: fakeDigest('b') }] },
    ],
    ['an added dep', { deps: [...BASE.deps, { path: 'src/util.js', digest: fakeDigest('d') }] }],
    ['a nested param value', { params: { train: { lr: 0.2, epochs: 10 }, seed: 1 } }],
    ['a param value type', { params: { train: { lr: 0.1, epochs: '10' }, seed: 1 } }],
    ['an added param', { params: { ...BASE.params, extra: null } }],
    ['an env value', { env: { SEED: '2', MODE: 'fast' } }],
    ['an env name', { env: { SEED2: '1', MODE: 'fast' } }],
    ['an out path', { outs: ['metrics.json', 'model.onnx'] }],
    ['an added out', { outs: ['metrics.json', 'model', 'plots'] }],
    ['wdir', { wdir: 'src' }],
    ['the tool version', { tool: 'weft/cache-v2' }],
  ])('changes with %s', (_, change) => {
    expect(keyOf(change)).not.toBe(base);
  });
});

describe('computeCacheKey ignores what does not decide the output', () => {
  const base = computeCacheKey(BASE);

  it('ignores dep order', () => {
    expect(keyOf({ deps: [...BASE.deps].reverse() })).toBe(base);
  });

  it('ignores out order', () => {
    expect(keyOf({ outs: [...BASE.outs].reverse() })).toBe(base);
  });

  it('ignores key order of params, nested params and env', () => {
    expect(
      keyOf({
        params: { seed: 1, train: { epochs: 10, lr: 0.1 } },
        env: { MODE: 'fast', SEED: '1' },
      }),
    ).toBe(base);
  });

  it('does not reorder the caller deps and outs arrays', () => {
    const deps = [...BASE.deps].reverse();
    const outs = [...BASE.outs].reverse();
    computeCacheKey({ ...BASE, deps, outs });
    expect(deps.map((d) => d.path)).toEqual(['src/train.js', 'data/train.csv']);
    expect(outs).toEqual(['model', 'metrics.json']);
  });
});

describe('describeStageInputs', () => {
  const deps = [
    { path: 'src/train.js', digest: fakeDigest('b'), size: 10, kind: 'file' },
    { path: 'data', digest: fakeDigest('a'), size: 999, kind: 'dir' },
  ];

  it('takes cmd, wdir and env from the stage, outs and metrics sorted, deps by path', () => {
    expect(describeStageInputs(stage({ outs: ['z.bin', 'model'] }), deps, { lr: 0.1 })).toEqual({
      tool: CACHE_TOOL_VERSION,
      cmd: 'node train.js',
      wdir: '.',
      deps: [
        { path: 'data', digest: fakeDigest('a') },
        { path: 'src/train.js', digest: fakeDigest('b') },
      ],
      params: { lr: 0.1 },
      env: { SEED: '1' },
      outs: ['metrics.json', 'model', 'z.bin'],
    });
  });

  it('gives the same key whatever the dep sizes and kinds', () => {
    const other = deps.map((d) => ({
      ...d,
      size: d.size + 1,
      kind: d.kind === 'file' ? 'dir' : 'file',
    }));
    expect(computeCacheKey(describeStageInputs(stage(), other, {}))).toBe(
      computeCacheKey(describeStageInputs(stage(), deps, {})),
    );
  });

  it('gives a different key when a metrics file moves', () => {
    expect(
      computeCacheKey(describeStageInputs(stage({ metrics: ['eval.json'] }), deps, {})),
    ).not.toBe(computeCacheKey(describeStageInputs(stage(), deps, {})));
  });
});

describe('compareStrings', () => {
  it('orders by code point, not locale', () => {
    expect(['b', 'a', 'B', 'é', 'Z'].sort(compareStrings)).toEqual(['B', 'Z', 'a', 'b', 'é']);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});

describe('cache key properties', () => {
  it('canonical JSON does not depend on object key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seeded(seed)))).toBe(canonicalJson(value));
      }),
    );
  });

  it('the key does not depend on dep order, out order or key order', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, seed) => {
        const random = seeded(seed);
        const permuted = shuffleKeys(
          { ...input, deps: shuffled(input.deps, random), outs: shuffled(input.outs, random) },
          random,
        ) as CacheKeyInput;
        expect(computeCacheKey(permuted)).toBe(computeCacheKey(input));
      }),
    );
  });

  it('inputs that differ in one field give different keys', () => {
    fc.assert(
      fc.property(inputArb, changedFieldArb(), (input, change) => {
        const changed = change(input);
        fc.pre(changed !== undefined);
        expect(computeCacheKey(changed)).not.toBe(computeCacheKey(input));
      }),
    );
  });
});

/** A function that changes exactly one field of an input to a canonically different value. */
function changedFieldArb(): fc.Arbitrary<(input: CacheKeyInput) => CacheKeyInput | undefined> {
  const differs = (a: unknown, b: unknown): boolean => canonicalJson(a) !== canonicalJson(b);
  const sortedDeps = (deps: DepDigest[]): DepDigest[] =>
    [...deps].sort((a, b) => compareStrings(a.path, b.path));
  const sortedOuts = (outs: string[]): string[] => [...outs].sort(compareStrings);
  const guard =
    <K extends keyof CacheKeyInput>(field: K, next: (input: CacheKeyInput) => CacheKeyInput[K]) =>
    (input: CacheKeyInput): CacheKeyInput | undefined => {
      const value = next(input);
      const normalise = (v: unknown): unknown =>
        field === 'deps'
          ? sortedDeps(v as DepDigest[])
          : field === 'outs'
            ? sortedOuts(v as string[])
            : v;
      return differs(normalise(value), normalise(input[field]))
        ? { ...input, [field]: value }
        : undefined;
    };
  return fc.oneof(
    fc.string().map((cmd) => guard('cmd', () => cmd)),
    fc.constantFrom('.', 'a', 'a/b').map((wdir) => guard('wdir', () => wdir)),
    fc.string().map((tool) => guard('tool', () => tool)),
    fc
      .tuple(fc.nat(), digestArb)
      .map(([i, d]) =>
        guard('deps', (input) =>
          input.deps.length === 0
            ? [{ path: 'new', digest: d }]
            : input.deps.map((dep, j) =>
                j === i % input.deps.length ? { ...dep, digest: d } : dep,
              ),
        ),
      ),
    fc
      .tuple(pathArb, digestArb)
      .map(([path, d]) =>
        guard('deps', (input) =>
          input.deps.some((dep) => dep.path === path)
            ? input.deps
            : [...input.deps, { path, digest: d }],
        ),
      ),
    fc.tuple(fc.string(), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) =>
      guard('params', (input) => {
        const params: Record<string, unknown> = { ...input.params };
        Object.defineProperty(params, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return params;
      }),
    ),
    fc
      .tuple(fc.stringMatching(/^[A-Z]{1,4}$/), fc.string())
      .map(([key, value]) => guard('env', (input) => ({ ...input.env, [key]: value }))),
    pathArb.map((path) => guard('outs', (input) => [...input.outs, path])),
  );
}
