/**
 * The commands a no-op does not need, loaded together when one of them runs (see
 * COMMAND_MODULES): one module, so the bundler makes one file of them rather than a chunk per
 * command, and there are fewer files for Node's ES module loader to resolve and read.
 */
export { registerAudit } from './audit.js';
export { registerCi } from './ci.js';
export { registerDeployments } from './deployments.js';
export { registerEvaluate } from './evaluate.js';
export { registerGc } from './gc.js';
export { registerInit } from './init.js';
export { registerLineage } from './lineage.js';
export { registerMetrics } from './metrics.js';
export { registerModels } from './models.js';
export { registerReport } from './report.js';
export { registerReproduce } from './reproduce.js';
export { registerRuns } from './runs.js';
export { registerServe } from './serve.js';
export { registerUp } from './up.js';
export { registerValidate } from './validate.js';
