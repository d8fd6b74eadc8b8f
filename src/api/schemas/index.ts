import {
  auditEntrySchema,
  auditVerificationSchema,
  createdTokenSchema,
  eventSchema,
  sessionSchema,
  tokenSchema,
} from './audit.js';
import { errorSchema } from './common.js';
import {
  actionAcceptedSchema,
  analysisCheckSchema,
  conditionSchema,
  deploymentDetailSchema,
  deploymentSchema,
  driftSchema,
} from './deployments.js';
import {
  aliasEventSchema,
  aliasSchema,
  modelCheckSchema,
  modelSummarySchema,
  modelVersionDetailSchema,
  modelVersionSchema,
} from './models.js';
import {
  artifactSchema,
  lineageEdgeSchema,
  lineageSchema,
  metricPointSchema,
  metricValueSchema,
  runDetailSchema,
  runSchema,
  stageExecutionSchema,
} from './runs.js';

/** Every shared schema, added to the API's fastify context before its routes. */
export const API_SCHEMAS: readonly object[] = [
  errorSchema,
  runSchema,
  artifactSchema,
  metricValueSchema,
  stageExecutionSchema,
  runDetailSchema,
  metricPointSchema,
  lineageEdgeSchema,
  lineageSchema,
  modelSummarySchema,
  modelVersionSchema,
  modelVersionDetailSchema,
  modelCheckSchema,
  aliasSchema,
  aliasEventSchema,
  conditionSchema,
  analysisCheckSchema,
  deploymentSchema,
  deploymentDetailSchema,
  driftSchema,
  actionAcceptedSchema,
  auditEntrySchema,
  auditVerificationSchema,
  eventSchema,
  tokenSchema,
  createdTokenSchema,
  sessionSchema,
];
