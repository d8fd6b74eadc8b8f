/** Pure number-crunching of offline evaluation: metrics, fairness gaps, permutation importance. */
export { type BootstrapOptions } from './bootstrap.js';
export { type ClassificationOptions, computeClassificationMetrics } from './classification.js';
export { computeFairness, type FairnessOptions } from './fairness.js';
export { type PermutationInput, permutationImportance } from './permutation.js';
export { computeRegressionMetrics } from './regression.js';
