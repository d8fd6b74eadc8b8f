import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chiSquared } from './chi-squared.js';
import { jensenShannon } from './jensen-shannon.js';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { ksTwoSample } from './ks-two-sample.js';
import { psi } from './psi.js';
import { chiSquaredSurvival } from './special-functions.js';
import { normalSample, rounded } from './test-support.js';

const execFileAsync = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'scipy-reference.py');

type Counts = Record<string, number>;

const KS: [string, Float64Array, Float64Array, 'exact' | 'asymptotic'][] = [
  [
    'small samples with ties',
    Float64Array.of(1, 2, 2, 3, 5, 8),
    Float64Array.of(2, 3, 3, 4, 9),
    'exact',
  ],
  ['equal sizes, shifted', normalSample(50, 1), normalSample(50, 2, 0.6), 'exact'],
  [
    '300 vs 200 with ties',
    rounded(normalSample(300, 3), 1),
    rounded(normalSample(200, 4, 0.2), 1),
    'exact',
  ],
  ['3000 vs 2000, slight shift', normalSample(3000, 5), normalSample(2000, 6, 0.05), 'exact'],
  ['12000 vs 10001, same law', normalSample(12_000, 7), normalSample(10_001, 8), 'asymptotic'],
  [
    '12000 vs 10001, shifted',
    normalSample(12_000, 9),
    normalSample(10_001, 10, 0.06),
    'asymptotic',
  ],
  [
    '10001 vs 10001: n = 5000.5 rounds to even',
    normalSample(10_001, 11),
    normalSample(10_001, 12, 0.02),
    'asymptotic',
  ],
  ['20000 vs 100', normalSample(20_000, 13), normalSample(100, 14, 0.3), 'asymptotic'],
  [
    '12000 vs 12000, far apart',
    normalSample(12_000, 15),
    normalSample(12_000, 16, 1),
    'asymptotic',
  ],
];

/** (n, d) in every region of kolmogorovSurvival's method choice. */
const KSTWO: [number, number][] = [
  [50, 0.015],
  [50, 0.1],
  [50, 0.2],
  [50, 0.35],
  [50, 0.6],
  [50, 0.985],
  [140, 0.05],
  [141, 0.05],
  [1000, 0.0008],
  [1000, 0.01],
  [1000, 0.03],
  [1000, 0.06],
  [1000, 0.55],
  [5000, 0.02],
  [5000, 0.3],
  [100_001, 0.003],
  [100_001, 0.002],
  [50_000, 0.0003],
  [100_000, 0.0002],
];

const CHI2SF = [1, 2, 3, 5, 10, 30, 99, 500].flatMap((df) =>
  [0.001, 0.5, df - 1, df, df + 1, 2 * df, 5 * df + 10].map((x) => ({ x: Math.max(x, 1e-3), df })),
);

const CATEGORICAL: [string, Counts, Counts][] = [
  ['same proportions', { a: 10, b: 20, c: 30 }, { a: 20, b: 40, c: 60 }],
  ['shifted proportions', { a: 500, b: 300, c: 200 }, { a: 380, b: 330, c: 290 }],
  ['a category missing from the current sample', { a: 5, b: 7, c: 1 }, { a: 9, b: 4 }],
  [
    'many categories',
    Object.fromEntries([...'abcdefghijkl'].map((k, i) => [k, 10 + i * 3])),
    Object.fromEntries([...'abcdefghijkl'].map((k, i) => [k, 40 - i * 2])),
  ],
];

const PSI: [string, Float64Array, Float64Array, number?][] = [
  ['identical laws', normalSample(1000, 21), normalSample(800, 22)],
  ['shifted normal', normalSample(1000, 23), normalSample(800, 24, 0.5)],
  ['ten fixed bins', normalSample(600, 25), normalSample(500, 26, 0.2, 1.5), 10],
  [
    'few distinct values',
    rounded(normalSample(400, 27, 0, 0.6), 0),
    rounded(normalSample(300, 28, 1, 0.6), 0),
  ],
  ['sparse tail bins, tiny fill', normalSample(20_000, 29), normalSample(5000, 30, 0.1)],
];

interface ScipyReference {
  ks: { statistic: number; pValue: number }[];
  kstwo: number[];
  chi2sf: number[];
  chisquare: { statistic: number; pValue: number }[];
  jensenshannon: number[];
  psi: number[];
}

async function runScipy(dir: string): Promise<ScipyReference> {
  const input = join(dir, 'cases.json');
  const categorical = CATEGORICAL.map(([, reference, current]) => ({ reference, current }));
  const cases = {
    ks: KS.map(([, a, b]) => ({ a: [...a], b: [...b] })),
    kstwo: KSTWO.map(([n, d]) => ({ n, d })),
    chi2sf: CHI2SF,
    chisquare: categorical,
    jensenshannon: categorical,
    psi: PSI.map(([, reference, current, bins]) => ({
      reference: [...reference],
      current: [...current],
      bins,
    })),
  };
  await writeFile(input, JSON.stringify(cases));
  const { stdout } = await execFileAsync(PYTHON, [SCRIPT, input], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as ScipyReference;
}

async function requireScipy(): Promise<void> {
  try {
    await execFileAsync(PYTHON, ['-c', 'import scipy, numpy']);
  } catch (error) {
    throw new Error(
      `the scipy cross-check needs ${PYTHON} with scipy and numpy: install Debian's python3-scipy ` +
        '(apt-get install python3-scipy, which python3-sklearn pulls in); CI installs it',
      { cause: error },
    );
  }
}

/** |actual - expected| <= tolerance · max(1, |expected|). */
function expectClose(
  actual: number,
  expected: number | undefined,
  tolerance: number,
  what: string,
): void {
  expect(expected, what).toBeDefined();
  const scale = Math.max(1, Math.abs(expected!));
  expect(
    Math.abs(actual - expected!),
    `${what}: ${actual} vs scipy ${expected}`,
  ).toBeLessThanOrEqual(tolerance * scale);
}

const counts = (record: Counts): Map<string, number> => new Map(Object.entries(record));

describe('drift statistics agree with scipy', () => {
  let dir = '';
  let scipy: ScipyReference;

  beforeAll(async () => {
    await requireScipy();
    dir = await mkdtemp(join(tmpdir(), 'weft-scipy-'));
    scipy = await runScipy(dir);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(KS.map((c, i) => [...c, i] as const))('ks_2samp: %s', (_, a, b, method, i) => {
    const result = ksTwoSample(a, b);
    expect(result.method).toBe(method);
    expect(result.statistic).toBe(scipy.ks[i]!.statistic);
    expectClose(result.pValue, scipy.ks[i]!.pValue, 1e-9, 'p-value');
  });

  it('kstwo.sf in every region of the method choice', () => {
    KSTWO.forEach(([n, d], i) => {
      expectClose(kolmogorovSurvival(n, d), scipy.kstwo[i], 1e-9, `kstwo.sf(${d}, ${n})`);
    });
  });

  it('chi2.sf over a grid of degrees of freedom and statistics', () => {
    CHI2SF.forEach(({ x, df }, i) => {
      const expected = scipy.chi2sf[i]!;
      // Relative: tail probabilities run down to 1e-100.
      expect(
        Math.abs(chiSquaredSurvival(x, df) - expected),
        `chi2.sf(${x}, ${df})`,
      ).toBeLessThanOrEqual(1e-9 * expected);
    });
  });

  it.each(CATEGORICAL.map((c, i) => [...c, i] as const))(
    'chisquare and jensenshannon: %s',
    (_, reference, current, i) => {
      const chi = chiSquared(counts(reference), counts(current));
      expectClose(chi.statistic, scipy.chisquare[i]!.statistic, 1e-12, 'chi-squared statistic');
      expectClose(chi.pValue, scipy.chisquare[i]!.pValue, 1e-9, 'chi-squared p-value');
      expectClose(
        jensenShannon(counts(reference), counts(current)),
        scipy.jensenshannon[i],
        1e-12,
        'JS distance',
      );
    },
  );

  it.each(
    PSI.map(([name, reference, current, bins], i) => [name, reference, current, bins, i] as const),
  )('psi as Evidently bins it: %s', (_, reference, current, bins, i) => {
    expectClose(psi(reference, current, { bins }), scipy.psi[i], 1e-12, 'PSI');
  });
});
