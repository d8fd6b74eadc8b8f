/** Permutation feature importance, as sklearn `permutation_importance`. */
import { WeftError } from '../../core/errors.js';
import type { FeatureImportance, PermutationImportance } from '../types.js';
import { Random, shuffleInPlace } from '../../core/random.js';

export interface PermutationInput {
  /** One column per feature, all of the same length (rows). */
  columns: Float32Array[];
  featureNames: string[];
  /**
   * Scores the model on the given columns; higher is better. One scratch column is reused for
   * every shuffle, so `score` must be done with the arrays when its promise settles.
   */
  score: (columns: Float32Array[]) => Promise<number>;
  repeats: number;
  seed: number;
  /** Name of what `score` measures, e.g. `accuracy`; recorded in the result. */
  scoring: string;
}

/**
 * For each feature and repeat: shuffle that feature's column (seeded Fisher-Yates), score, and
 * record the drop from the baseline score. Mean and population standard deviation (numpy's
 * `std`, as sklearn) of the drops; features sorted by mean drop, most important first.
 * Only one scratch column is allocated: the other columns are passed through untouched.
 *
 * @throws WeftError USAGE when names and columns do not match or `repeats` is below 1.
 */
export async function permutationImportance(
  input: PermutationInput,
): Promise<PermutationImportance> {
  const { columns, featureNames, repeats, seed, scoring } = input;
  const problem = findInputProblem(input);
  if (problem) throw new WeftError('USAGE', `failed to compute permutation importance: ${problem}`);
  const baseline = await input.score(columns);
  const random = new Random(seed);
  const scratch = new Float32Array(columns[0]?.length ?? 0);
  const features: FeatureImportance[] = [];
  for (const [f, original] of columns.entries()) {
    const permuted = columns.with(f, scratch);
    const drops: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      scratch.set(original);
      shuffleInPlace(scratch, random);
      drops.push(baseline - (await input.score(permuted)));
    }
    features.push({ feature: featureNames[f]!, ...meanAndStd(drops), drops });
  }
  // Array.prototype.sort is stable: equally important features keep their input order.
  features.sort((a, b) => b.mean - a.mean);
  return { scoring, baseline, repeats, seed, features };
}

function findInputProblem({ columns, featureNames, repeats }: PermutationInput): string | null {
  if (featureNames.length !== columns.length) {
    return `${featureNames.length} feature names for ${columns.length} columns`;
  }
  if (!Number.isInteger(repeats) || repeats < 1) {
    return `repeats must be a whole number >= 1, got ${repeats}`;
  }
  return null;
}

function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}
