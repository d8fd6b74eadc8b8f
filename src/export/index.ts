/**
 * Any framework in, ONNX out: exporters that turn models trained in JavaScript with the ml.js
 * packages into ONNX model bytes weft registers, evaluates and serves like any other.
 *
 * Each takes the trained model object or its `toJSON()` output (weft reads only the JSON, so it
 * needs no ml.js at run time) and returns a deterministic ModelProto: input FP32 [N, features];
 * regressors output FP32 [N, targets], classifiers `label` INT64 [N] and `probabilities`
 * FP32 [N, classes]; metadata_props `feature_names` (and `classes`) as JSON arrays.
 */
export { exportDecisionTreeClassifier, exportDecisionTreeRegression } from './decision-tree.js';
export { exportLinearRegression } from './linear-regression.js';
export { exportLogisticRegression } from './logistic-regression.js';
export type { ModelOrJson } from './model-json.js';
export { exportRandomForestClassifier, exportRandomForestRegression } from './random-forest.js';
export type { ClassifierExportOptions, RegressorExportOptions } from './signature.js';
