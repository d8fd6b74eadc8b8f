import { describe, expect, it } from 'vitest';
import { bootstrapGaps, percentileInterval } from './bootstrap.js';
import { ClassificationTally } from './classification-tally.js';
import { layoutGroups } from './groups.js';
import { expectUsageError } from './test-support.js';

describe('percentileInterval', () => {
  it('interpolates linearly between order statistics, as numpy.percentile', () => {
    // numpy.percentile(range(1, 11), [5, 95]) == [1.45, 9.55]
    const [lower, upper] = percentileInterval([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 0.9)!;
    expect(lower).toBeCloseTo(1.45, 12);
    expect(upper).toBeCloseTo(9.55, 12);
  });

  it('has no interval without values', () => {
    expect(percentileInterval([], 0.95)).toBeNull();
  });
});

describe('bootstrapGaps', () => {
  const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];
  const actual = Int32Array.from([1, 1, 0, 0, 1, 1, 0, 0]);
  const predicted = Int32Array.from([1, 1, 1, 0, 1, 0, 0, 0]);
  const layout = layoutGroups(groups);
  const tally = () => new ClassificationTally(actual, predicted, layout, 2, [1]);

  it('gives the same intervals for the same seed', () => {
    const options = { samples: 200, seed: 5, level: 0.9 };
    expect(bootstrapGaps(layout, tally(), options)).toEqual(
      bootstrapGaps(layout, tally(), options),
    );
    const other = bootstrapGaps(layout, tally(), { ...options, seed: 6 });
    expect(other).not.toEqual(bootstrapGaps(layout, tally(), options));
  });

  it('keeps the intervals inside the range of the gap', () => {
    const intervals = bootstrapGaps(layout, tally(), { samples: 300, seed: 1, level: 0.95 });
    for (const interval of Object.values(intervals)) {
      const [lower, upper] = interval!;
      expect(0 <= lower && lower <= upper && upper <= 1).toBe(true);
    }
  });

  it('skips the intervals for zero samples and rejects a level outside (0, 1)', () => {
    const none = bootstrapGaps(layout, tally(), { samples: 0, seed: 1, level: 0.95 });
    expect(Object.values(none)).toEqual([null, null, null, null]);
    expectUsageError(() => bootstrapGaps(layout, tally(), { samples: 10, seed: 1, level: 95 }));
  });
});
