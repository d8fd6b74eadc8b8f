/**
 * The spec layer: weft.yaml (kind Pipeline) and its params file, read, schema-checked and
 * normalised into a ResolvedPipeline. Every problem carries file:line:col and a dotted key.
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
