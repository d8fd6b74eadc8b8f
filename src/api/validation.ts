import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/** What fastify attaches to an error when a request part failed its schema. */
export interface ValidationFailure {
  validation?: ErrorObject[];
  validationContext?: string;
}

/**
 * The API's own request validator: types are coerced from the query string, defaults filled in,
 * and unknown parameters refused (fastify's default would drop them silently), so a misspelt
 * filter is a 400 instead of an unfiltered list.
 */
export function createRequestValidator(): FastifySchemaCompiler<unknown> {
  const ajv = new Ajv({
    coerceTypes: true,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    verbose: true,
    strict: false,
  });
  return ({ schema }) => ajv.compile(schema as object);
}

const PART_NAMES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body property',
  headers: 'header',
};

/** "query parameter limit must be <= 500": which parameter failed, and how. */
export function describeValidationErrors(errors: ErrorObject[], context = 'request'): string {
  const part = PART_NAMES[context] ?? context;
  return errors.map((error) => describeOne(error, part, context)).join('; ');
}

function describeOne(error: ErrorObject, part: string, context: string): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return `unknown ${part} ${String(params.additionalProperty)}`;
  }
  if (error.keyword === 'required') {
    return `${part} ${String(params.missingProperty)} is required`;
  }
  const name = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const subject = name === '' ? (context === 'body' ? 'the body' : part) : `${part} ${name}`;
  const got = error.data === undefined ? '' : ` (got ${JSON.stringify(error.data)})`;
  if (error.keyword === 'pattern') {
    return `${subject} must match ${String(params.pattern)}${got}`;
  }
  return `${subject} ${error.message ?? 'is invalid'}${got}`;
}
