import fc from 'fast-check';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, type Digest } from '../core/digest.js';
import {
  LOCK_FILE,
  parseLockfile,
  readLockfile,
  serializeLockfile,
  writeLockfile,
  type LockedStage,
  type Lockfile,
} from './lockfile.js';
import { fakeDigest, thrownWeftError } from '../../test/utils/fixtures.js';

const TRAIN: LockedStage = {
  key: fakeDigest('1'),
  cmd: 'node train.js --lr 0.1',
  deps: [
    { path: 'src/train.js', digest: fakeDigest('b'), size: 120 },
    { path: 'data/train.csv', digest: fakeDigest('a'), size: 4096 },
  ],
  params: { train: { lr: 0.1, epochs: 10 } },
  env: { SEED: '1' },
  outs: [
    { path: 'model', digest: fakeDigest('c'), size: 2048, kind: 'dir' },
    { path: 'metrics.json', digest: fakeDigest('d'), size: 64, kind: 'file' },
  ],
};

const PREPARE: LockedStage = {
  key: fakeDigest('2'),
  cmd: 'node prepare.js',
  deps: [{ path: 'data/raw.csv', digest: fakeDigest('e'), size: 10 }],
  params: {},
  env: {},
  outs: [{ path: 'data/train.csv', digest: fakeDigest('a'), size: 4096, kind: 'file' }],
};

/** A Map-free, order-free form of a lock, for comparing two locks by content. */
function canonicalLock(lock: Lockfile): string {
  const byPath = <T extends { path: string }>(items: T[]): T[] =>
    [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries = [...lock].map(([name, s]) => [
    name,
    { ...s, deps: byPath(s.deps), outs: byPath(s.outs) },
  ]);
  return canonicalJson(Object.fromEntries(entries));
}

/** Strings a naive writer would mangle (YAML-special, quotes, control characters). */
const TRICKY_STRINGS = [
  '',
  ' ',
  'a: b',
  '# not a comment',
  'x #y',
  '- item',
  '-',
  '? key',
  'yes',
  'no',
  'on',
  'null',
  '~',
  'true',
  'False',
  '0x1f',
  '0o17',
  '1e3',
  '.inf',
  '.nan',
  '007',
  '1_000',
  '12:30:00',
  '2024-01-01',
  '"quoted"',
  "'single'",
  '{a: 1}',
  '[1, 2]',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  '@at',
  '`tick',
  '|',
  '>',
  'line\nbreak',
  'tab\there',
  ' leading space',
  'trailing space ',
  '---',
  '...',
  'é ünïcødé ✓',
];

const stringArb = fc.oneof(fc.constantFrom(...TRICKY_STRINGS), fc.string());
const digestArb = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex): Digest => `sha256:${hex}`);
const pathArb = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS.filter((s) => s !== '')),
  fc.string({ minLength: 1 }),
);
const sizeArb = fc.nat();
/** JSON-safe values; -0 is left out because JSON itself cannot tell it from 0. */
const leafArb = fc.oneof(
  stringArb,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null),
);
const paramValueArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(stringArb, tie('value'), { maxKeys: 3, noNullPrototype: true }),
})).value;

const stageArb: fc.Arbitrary<LockedStage> = fc.record({
  key: digestArb,
  cmd: stringArb,
  deps: fc.uniqueArray(fc.record({ path: pathArb, digest: digestArb, size: sizeArb }), {
    selector: (d) => d.path,
    maxLength: 4,
  }),
  params: fc.dictionary(stringArb, paramValueArb, { maxKeys: 4, noNullPrototype: true }),
  env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), stringArb, {
    maxKeys: 3,
    noNullPrototype: true,
  }),
  outs: fc.uniqueArray(
    fc.record({
      path: pathArb,
      digest: digestArb,
      size: sizeArb,
      kind: fc.constantFrom('file' as const, 'dir' as const),
    }),
    { selector: (o) => o.path, maxLength: 4 },
  ),
});

const stageNameArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/);
const lockArb: fc.Arbitrary<Lockfile> = fc
  .uniqueArray(fc.tuple(stageNameArb, stageArb), { selector: ([name]) => name, maxLength: 5 })
  .map((entries) => new Map(entries));

function reversed(lock: Lockfile): Lockfile {
  return new Map(
    [...lock].reverse().map(([name, s]) => [
      name,
      {
        ...s,
        deps: [...s.deps].reverse(),
        outs: [...s.outs].reverse(),
        params: Object.fromEntries(Object.entries(s.params).reverse()),
        env: Object.fromEntries(Object.entries(s.env).reverse()),
      },
    ]),
  );
}

describe('serializeLockfile', () => {
  it('writes the schema and stages sorted by name with sorted deps, outs and keys, one per line', () => {
    const text = serializeLockfile(
      new Map([
        ['train', TRAIN],
        ['prepare', PREPARE],
      ]),
    );
    expect(text.startsWith('{\n  "schema": 1,\n  "stages": {\n    "prepare": {\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('"prepare":')).toBeLessThan(text.indexOf('"train":'));
    expect(text.indexOf('"path": "data/train.csv"')).toBeLessThan(
      text.indexOf('"path": "src/train.js"'),
    );
    expect(text.indexOf('"path": "metrics.json"')).toBeLessThan(text.indexOf('"path": "model"'));
    expect(text.indexOf('"epochs": 10')).toBeLessThan(text.indexOf('"lr": 0.1'));
  });

  it('writes an empty lock that reads back empty', () => {
    const text = serializeLockfile(new Map());
    expect(parseLockfile(text)).toEqual(new Map());
  });

  it('writes the same bytes whatever the key order inside a param section', () => {
    // Params come from params.yaml as written; reordering keys there changes no cache key,
    // so it must not change weft.lock either.
    const lrFirst = { ...TRAIN, params: { train: { lr: 0.1, epochs: 10 } } };
    const epochsFirst = { ...TRAIN, params: { train: { epochs: 10, lr: 0.1 } } };
    expect(serializeLockfile(new Map([['train', epochsFirst]]))).toBe(
      serializeLockfile(new Map([['train', lrFirst]])),
    );
  });

  it('does not wrap long commands', () => {
    const cmd = `python train.py ${'--flag value '.repeat(20)}`.trim();
    const text = serializeLockfile(new Map([['train', { ...TRAIN, cmd }]]));
    expect(text).toContain(`"cmd": "${cmd}",\n`);
  });

  it('keeps only the known fields of deps and outs', () => {
    const extra = {
      ...PREPARE,
      deps: [{ path: 'a', digest: fakeDigest('a'), size: 1, kind: 'file', mtime: 5 }],
    } as unknown as LockedStage;
    const text = serializeLockfile(new Map([['prepare', extra]]));
    expect(text).not.toContain('mtime');
    expect(parseLockfile(text).get('prepare')?.deps).toEqual([
      { path: 'a', digest: fakeDigest('a'), size: 1 },
    ]);
  });
});

describe('lockfile round trip (property)', () => {
  it('reads back what it wrote', () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        expect(canonicalLock(parseLockfile(serializeLockfile(lock)))).toBe(canonicalLock(lock));
      }),
      { numRuns: 200 },
    );
  });

  it('writes the same bytes after a round trip', () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        const text = serializeLockfile(lock);
        expect(serializeLockfile(parseLockfile(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('writes the same bytes whatever the stage, dep, out, param and env order', () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        expect(serializeLockfile(reversed(lock))).toBe(serializeLockfile(lock));
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseLockfile rejects a broken lock', () => {
  it('names weft.lock and the line and column of a syntax error', () => {
    const error = thrownWeftError(() =>
      parseLockfile('{\n  "schema": 1,\n  "stages": {\n    "train": {"cmd": "x}\n'),
    );
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toMatch(/^failed to read weft\.lock: \d+:\d+: /);
    expect(error.message).toContain('restore it from Git or delete it');
  });

  it('reports the line of the syntax error', () => {
    const error = thrownWeftError(() =>
      parseLockfile('{\n  "schema": 1,\n  "stages": {}\n  "extra": 1\n}\n'),
    );
    expect(error.message).toMatch(/^failed to read weft\.lock: 4:3: /);
  });

  it.each([
    ['an empty file', ''],
    ['a file of whitespace only', '\n  \n'],
  ])('reads %s as an empty lock', (_, text) => {
    expect(parseLockfile(text)).toEqual(new Map());
  });

  it('names the file it was given', () => {
    const error = thrownWeftError(() => parseLockfile('{"schema": [', 'old/weft.lock'));
    expect(error.message).toMatch(/^failed to read old\/weft\.lock: /);
  });

  it.each([
    ['a list', '["a", "b"]\n'],
    ['a scalar', '"hello"\n'],
    ['a missing schema', '{"stages": {}}\n'],
    ['an unknown schema', '{"schema": 2, "stages": {}}\n'],
    ['stages as a list', '{"schema": 1, "stages": []}\n'],
  ])('rejects %s', (_, text) => {
    const error = thrownWeftError(() => parseLockfile(text));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain(
      'failed to read weft.lock: expected "schema: 1" and a "stages" mapping',
    );
  });

  const valid = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(PREPARE)) as Record<string, unknown>;
  it.each<[string, (s: Record<string, unknown>) => void]>([
    ['a bad key digest', (s) => (s.key = 'sha256:abc')],
    ['an uppercase digest', (s) => (s.key = `sha256:${'A'.repeat(64)}`)],
    ['a missing cmd', (s) => delete s.cmd],
    ['a numeric cmd', (s) => (s.cmd = 5)],
    ['deps as a mapping', (s) => (s.deps = {})],
    ['a dep without a size', (s) => (s.deps = [{ path: 'a', digest: fakeDigest('a') }])],
    [
      'a dep with a string size',
      (s) => (s.deps = [{ path: 'a', digest: fakeDigest('a'), size: '1' }]),
    ],
    ['params as a list', (s) => (s.params = [])],
    ['env as null', (s) => (s.env = null)],
    ['an out without a kind', (s) => (s.outs = [{ path: 'a', digest: fakeDigest('a'), size: 1 }])],
    [
      'an out of an unknown kind',
      (s) => (s.outs = [{ path: 'a', digest: fakeDigest('a'), size: 1, kind: 'link' }]),
    ],
    [
      'an out with a bad digest',
      (s) => (s.outs = [{ path: 'a', digest: 'md5:x', size: 1, kind: 'file' }]),
    ],
  ])('rejects a stage with %s and names the stage', (_, spoil) => {
    const stage = valid();
    spoil(stage);
    const text = JSON.stringify({ schema: 1, stages: { prepare: stage } });
    const error = thrownWeftError(() => parseLockfile(text));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain('failed to read weft.lock: stage prepare has an invalid entry');
  });
});

describe('readLockfile and writeLockfile', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'weft-lock-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a missing lock as an empty one', async () => {
    expect(await readLockfile(root)).toEqual(new Map());
  });

  it('writes weft.lock and reads it back', async () => {
    const lock: Lockfile = new Map([
      ['train', TRAIN],
      ['prepare', PREPARE],
    ]);
    await writeLockfile(root, lock);
    expect(await readFile(join(root, LOCK_FILE), 'utf8')).toBe(serializeLockfile(lock));
    expect(canonicalLock(await readLockfile(root))).toBe(canonicalLock(lock));
  });

  it('replaces an existing lock and leaves no temp file behind', async () => {
    await writeFile(join(root, LOCK_FILE), 'old contents that are not a lock');
    await writeLockfile(root, new Map([['prepare', PREPARE]]));
    expect(await readdir(root)).toEqual([LOCK_FILE]);
    expect([...(await readLockfile(root)).keys()]).toEqual(['prepare']);
  });

  it('reports a corrupt lock on disk as SPEC_INVALID', async () => {
    await writeFile(join(root, LOCK_FILE), '{"schema": 1, "stages": [\n');
    await expect(readLockfile(root)).rejects.toMatchObject({
      code: 'SPEC_INVALID',
      message: expect.stringMatching(/^failed to read weft\.lock: \d+:\d+: /) as unknown,
    });
  });

  it('passes on read errors other than a missing file', async () => {
    await mkdir(join(root, LOCK_FILE));
    await expect(readLockfile(root)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
