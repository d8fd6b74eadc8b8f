import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { WeftError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { formatSuggestion } from '../core/suggest.js';
import { describeValue } from './messages.js';
import { validateDeployment } from './generated/schema-validators.js';
import { describeAjvErrors } from './schema-validate.js';
import type { YamlSource } from './yaml-document.js';

/** Where editors fetch the schema from (its `$id`), for a deploy file's first line. */
export const DEPLOYMENT_SCHEMA_ID = 'https://weft.dev/schema/model-deployment.schema.json';

/** Resolves from src/spec (vitest, tsx) and from the bundled dist/cli/main.js alike. */
export const DEPLOYMENT_SCHEMA_URL = new URL(
  '../../schema/model-deployment.schema.json',
  import.meta.url,
);

/** The published JSON Schema of deploy/*.yaml, as plain data. */
export function readDeploymentSchema(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(DEPLOYMENT_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const message = `failed to read model deployment schema ${DEPLOYMENT_SCHEMA_URL.href}`;
    throw new WeftError('SPEC_INVALID', message, { cause: error });
  }
}

/**
 * Every schema violation in `source`, each located at the YAML node it concerns. Compiled ahead
 * of time, like the pipeline's (scripts/generate-validators.mjs).
 */
export function validateDeploymentSchema(source: YamlSource): SpecProblem[] {
  if (validateDeployment(source.data)) return [];
  const errors = (validateDeployment.errors ?? []).filter(isReportedHere);
  const worded = errors.filter((e) => wordingOf(e) !== undefined);
  const problems = describeAjvErrors(
    errors.filter((e) => !worded.includes(e)),
    source,
  );
  // The shared describer locates a single error well; only its generic wording is replaced.
  for (const error of worded) {
    for (const problem of describeAjvErrors([error], source)) {
      problems.push({ ...problem, message: wordingOf(error) ?? problem.message });
    }
  }
  return problems;
}

/**
 * The schema states which keys exclude or need each other (model selectors, external runtime
 * command) so editors can flag them; the resolver reports those rules in words that name the
 * keys, so ajv's "must NOT be valid" is dropped here.
 */
function isReportedHere(error: ErrorObject): boolean {
  if (error.keyword === 'if' || error.keyword === 'not') return false;
  // Every enum here is of strings: for anything else the type error says it better.
  if (error.keyword === 'enum' && typeof error.data !== 'string') return false;
  return !/\/(dependencies|then|else)\//.test(error.schemaPath);
}

/** Messages for keywords the pipeline schema does not use, or uses without these hints. */
function wordingOf(error: ErrorObject): string | undefined {
  const { keyword, params, parentSchema, data } = error;
  switch (keyword) {
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = formatSuggestion(String(data), allowed);
      return `invalid value ${JSON.stringify(data)}: expected one of ${allowed.join(', ')}${hint}`;
    }
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `expected a number ${String(params.comparison)} ${String(params.limit)}, got ${String(data)}`;
    case 'type': {
      // A duration written as a bare number: say what a duration looks like, not "a string".
      const hint: unknown = parentSchema?.patternErrorMessage;
      return typeof hint === 'string' ? `expected ${hint}, got ${describeValue(data)}` : undefined;
    }
    default:
      return undefined;
  }
}
