/**
 * The spec layer: weft.yaml (kind Pipeline) and its params file, read, schema-checked and
 * normalised into a ResolvedPipeline; deploy/*.yaml (kind ModelDeployment) into
 * ResolvedDeployments. Every problem carries file:line:col and a dotted key.
 *
 * Commands on the hot path import read-pipeline.js, param-paths.js and schema-id.js directly:
 * this index also re-exports the parser, which loads the YAML and JSON Schema libraries that a
 * no-op `weft run` never needs (the CLI bundle splits them into a chunk loaded on demand).
 */
export { readPipeline } from './read-pipeline.js';
export { DEFAULT_PARAMS_FILE, parsePipeline } from './pipeline.js';
export { lookupParam, selectParams } from './param-paths.js';
export { parseParams, validateParamRefs } from './params.js';
export type { ParamRef } from './params.js';
export { normalizeRepoPath } from './paths.js';
export type { PathCheck } from './paths.js';
export { PIPELINE_SCHEMA_ID } from './schema-id.js';
export { PIPELINE_SCHEMA_URL, readPipelineSchema } from './schema-validate.js';
export type { ParamValues, ResolvedModel, ResolvedPipeline, ResolvedStage } from './types.js';
export { parseDeployment, parseDeploymentSource } from './deployment.js';
export { DEFAULT_DEPLOY_DIR, readDeployments } from './deployment-files.js';
export { DEFAULT_ANALYSIS, DEFAULT_BATCH_LATENCY_MS } from './deployment-analysis.js';
export { DEFAULT_BLUEGREEN, DEFAULT_CANARY, DEFAULT_SHADOW } from './deployment-strategy.js';
export {
  DURATION_PATTERN,
  formatDuration,
  MAX_DURATION_MS,
  parseDuration,
} from './deployment-duration.js';
export {
  DEPLOYMENT_SCHEMA_ID,
  DEPLOYMENT_SCHEMA_URL,
  readDeploymentSchema,
} from './deployment-schema.js';
export type {
  DeploymentSet,
  ResolvedAnalysis,
  ResolvedBatching,
  ResolvedDeployment,
  ResolvedDeploymentSpec,
  ResolvedModelSelector,
  ResolvedRuntime,
  ResolvedStrategy,
  StrategyType,
} from './deployment-types.js';
