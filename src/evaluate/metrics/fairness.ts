/** Fairness of one sensitive attribute: metrics per group, gaps between groups (as Fairlearn). */
import { WeftError } from '../../core/errors.js';
import type { AttributeFairness, Estimate, GroupMetrics, Predictions } from '../types.js';
import { type BootstrapOptions, bootstrapGaps } from './bootstrap.js';
import { computeClassificationMetrics } from './classification.js';
import { ClassificationTally } from './classification-tally.js';
import type { Gaps, GroupTally } from './gaps.js';
import { type GroupLayout, layoutGroups, rowsOfGroup, selectRows } from './groups.js';
import { computeRegressionMetrics } from './regression.js';
import { RegressionTally } from './regression-tally.js';

export interface FairnessOptions {
  /**
   * Class index whose selection rate the gaps compare. Binary models default to 1; multiclass
   * models without one get the worst gap over all classes one-vs-rest (see ClassificationTally).
   */
  positiveClass?: number;
  bootstrap: BootstrapOptions;
}

/**
 * Groups are the values present in `groups` (one per row). With a single group there is nothing
 * to compare: the differences are 0, the ratio 1, and no interval is estimated.
 *
 * @throws WeftError USAGE when there are no rows or `groups` does not have one value per row.
 */
export function computeFairness(
  p: Predictions,
  groups: readonly string[],
  attribute: string,
  options: FairnessOptions,
): AttributeFairness {
  const rows = p.actual.length;
  if (rows === 0 || groups.length !== rows) {
    const problem =
      rows === 0 ? 'there are no rows' : `${groups.length} group values for ${rows} rows`;
    throw new WeftError('USAGE', `failed to compute fairness of ${attribute}: ${problem}`);
  }
  const layout = layoutGroups(groups);
  const tally = createTally(p, layout, options.positiveClass);
  for (let g = 0; g < layout.names.length; g++) {
    for (let position = layout.offsets[g]!; position < layout.offsets[g + 1]!; position++) {
      tally.add(g, position);
    }
  }
  const gaps = tally.gaps();
  const positiveClass = tally.positiveClass();
  const groupMetrics = layout.names.map((_, g) =>
    describeGroup(p, layout, g, tally, options.positiveClass),
  );
  const intervals =
    layout.names.length < 2 ? null : bootstrapGaps(layout, tally, options.bootstrap);
  const estimate = (name: keyof Gaps, value: number): Estimate => ({
    value,
    interval: intervals?.[name] ?? null,
    level: options.bootstrap.level,
  });
  return {
    attribute,
    positiveClass:
      p.task === 'classification' && positiveClass !== null ? p.classes[positiveClass]! : null,
    groups: groupMetrics,
    demographicParityDifference: estimate(
      'demographicParityDifference',
      gaps.demographicParityDifference,
    ),
    demographicParityRatio: estimate('demographicParityRatio', gaps.demographicParityRatio),
    equalizedOddsDifference:
      gaps.equalizedOddsDifference === null
        ? null
        : estimate('equalizedOddsDifference', gaps.equalizedOddsDifference),
    metricGap: estimate('metricGap', gaps.metricGap),
  };
}

function createTally(p: Predictions, layout: GroupLayout, positiveClass?: number): GroupTally {
  if (p.task === 'regression') return new RegressionTally(p.actual, p.predicted, layout);
  const classes = p.classes.length;
  const candidates =
    positiveClass !== undefined
      ? [positiveClass]
      : classes === 2
        ? [1]
        : p.classes.map((_, c) => c);
  return new ClassificationTally(p.actual, p.predicted, layout, classes, candidates);
}

function describeGroup(
  p: Predictions,
  layout: GroupLayout,
  group: number,
  tally: GroupTally,
  positiveClass?: number,
): GroupMetrics {
  const subset = selectRows(p, rowsOfGroup(layout, group));
  const metrics =
    subset.task === 'regression'
      ? computeRegressionMetrics(subset)
      : computeClassificationMetrics(subset, { positiveClass });
  return {
    group: layout.names[group]!,
    rows: subset.actual.length,
    metrics,
    ...tally.rates(group),
  };
}
