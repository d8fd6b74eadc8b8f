import { describe, expect, it } from 'vitest';
import { categoricalDrift, driftTest, numericDrift } from './drift-test.js';
import { normalSample } from './test-support.js';

const repeat = (counts: Record<string, number>): string[] =>
  Object.entries(counts).flatMap(([category, count]) => Array<string>(count).fill(category));

describe('driftTest', () => {
  it.each([
    ['numeric', 1000, 'ks'],
    ['numeric', 1001, 'psi'],
    ['categorical', 1000, 'chisquare'],
    ['categorical', 1001, 'jensenshannon'],
  ] as const)('%s with %i reference rows uses %s', (kind, rows, method) => {
    expect(driftTest(kind, rows)).toBe(method);
  });
});

describe('numericDrift', () => {
  it('decides by KS (p <= 0.05) for a small reference and reports PSI too', () => {
    const same = numericDrift(normalSample(500, 1), normalSample(300, 2));
    expect(same).toMatchObject({ kind: 'numeric', method: 'ks', threshold: 0.05, drifted: false });
    expect(same.pValue).toBeGreaterThan(0.05);
    expect(same.psi).toBeGreaterThanOrEqual(0);
    const shifted = numericDrift(normalSample(500, 1), normalSample(300, 3, 0.5));
    expect(shifted).toMatchObject({
      method: 'ks',
      drifted: true,
      referenceSize: 500,
      currentSize: 300,
    });
  });

  it('decides by PSI (>= 0.1) for a large reference, where KS flags a trivial shift', () => {
    const slight = numericDrift(normalSample(5000, 4), normalSample(5000, 5, 0.08));
    expect(slight).toMatchObject({ method: 'psi', threshold: 0.1, drifted: false });
    expect(slight.pValue).toBeLessThan(0.05);
    const shifted = numericDrift(normalSample(5000, 4), normalSample(2000, 6, 0.6));
    expect(shifted).toMatchObject({ method: 'psi', drifted: true });
    expect(shifted.psi).toBeGreaterThanOrEqual(0.1);
  });
});

describe('categoricalDrift', () => {
  it('decides by chi-squared (p < 0.05) for a small reference', () => {
    const reference = repeat({ a: 300, b: 300, c: 400 });
    expect(categoricalDrift(reference, repeat({ a: 31, b: 29, c: 40 }))).toMatchObject({
      kind: 'categorical',
      method: 'chisquare',
      drifted: false,
      referenceSize: 1000,
      currentSize: 100,
    });
    expect(categoricalDrift(reference, repeat({ a: 60, b: 20, c: 20 }))).toMatchObject({
      method: 'chisquare',
      drifted: true,
    });
  });

  it('decides by Jensen-Shannon distance (>= 0.1) for a large reference', () => {
    const reference = new Map([
      ['a', 3000],
      ['b', 3000],
      ['c', 4000],
    ]);
    const same = categoricalDrift(reference, repeat({ a: 28, b: 32, c: 40 }));
    expect(same).toMatchObject({ method: 'jensenshannon', threshold: 0.1, drifted: false });
    expect(same.pValue).toBeUndefined();
    expect(categoricalDrift(reference, repeat({ a: 70, b: 10, c: 20 }))).toMatchObject({
      method: 'jensenshannon',
      drifted: true,
    });
  });
});
