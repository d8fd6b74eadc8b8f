/**
 * The spec layer: weft.yaml (kind Pipeline) and its params file, read, schema-checked and
 * normalised into a ResolvedPipeline. Every problem carries file:line:col and a dotted key.
 */
export { readPipeline } from './read-pipeline.js';
export { DEFAULT_PARAMS_FILE, parsePipeline } from './pipeline.js';
export { lookupParam, parseParams, selectParams, validateParamRefs } from './params.js';
export type { ParamRef } from './params.js';
export { normalizeRepoPath } from './paths.js';
export type { PathCheck } from './paths.js';
export { PIPELINE_SCHEMA_ID, PIPELINE_SCHEMA_URL, readPipelineSchema } from './schema-validate.js';
export type { ParamValues, ResolvedModel, ResolvedPipeline, ResolvedStage } from './types.js';
