import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { WeftError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { describeTypes, describeValue } from './messages.js';
import { formatSuggestion } from '../core/suggest.js';
import { formatKeyPath, locatePath } from './yaml-document.js';
import { validatePipeline } from './generated/schema-validators.js';
import type { YamlPath, YamlSource } from './yaml-document.js';

/** Resolves from src/spec (vitest, tsx) and from the bundled dist/cli/main.js alike. */
export const PIPELINE_SCHEMA_URL = new URL('../../schema/pipeline.schema.json', import.meta.url);

/** The published JSON Schema of weft.yaml, as plain data. */
export function readPipelineSchema(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(PIPELINE_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const message = `failed to read pipeline schema ${PIPELINE_SCHEMA_URL.href}`;
    throw new WeftError('SPEC_INVALID', message, { cause: error });
  }
}

/**
 * Every schema violation in `source`, each located at the YAML node it concerns. The validator
 * is compiled ahead of time (scripts/generate-validators.mjs): compiling at run time cost
 * ~110 ms of every cold start.
 */
export function validatePipelineSchema(source: YamlSource): SpecProblem[] {
  if (validatePipeline(source.data)) return [];
  return describeAjvErrors(validatePipeline.errors ?? [], source);
}

export function describeAjvErrors(
  errors: readonly ErrorObject[],
  source: YamlSource,
): SpecProblem[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath + '/');
  const problems: SpecProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'propertyNames') continue; // reported by its inner `pattern` error
    if (anyOfPaths.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    problems.push(describeAjvError(error, source));
  }
  return problems;
}

function describeAjvError(error: ErrorObject, source: YamlSource): SpecProblem {
  const path = toYamlPath(error.instancePath, source.data);
  const { keyword, params, parentSchema } = error;
  const at = (p: YamlPath, target: 'key' | 'value', message: string): SpecProblem => ({
    ...locatePath(source, p, target),
    key: formatKeyPath(p),
    message,
  });
  switch (keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parentSchema?.properties as object | undefined) ?? {});
      return at([...path, name], 'key', describeUnknownKey(name, allowed));
    }
    case 'required':
      return at(path, 'key', `required key "${String(params.missingProperty)}" is missing`);
    case 'type':
      return at(
        path,
        'value',
        `expected ${describeTypes(params.type, parentSchema)}, got ${describeValue(error.data)}`,
      );
    case 'const':
      return at(
        path,
        'value',
        `expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data, true)}`,
      );
    case 'pattern':
      return describePatternError(error, path, at);
    case 'anyOf':
      return at(path, 'key', `expected at least one of ${describeAnyOfKeys(error.schema)}`);
    default:
      return at(path, 'value', describeBound(error));
  }
}

type Locate = (p: YamlPath, target: 'key' | 'value', message: string) => SpecProblem;

function describePatternError(error: ErrorObject, path: YamlPath, at: Locate): SpecProblem {
  const hint =
    (error.parentSchema?.patternErrorMessage as string | undefined) ??
    `a value matching ${String(error.params.pattern)}`;
  if (error.propertyName !== undefined) {
    const name = error.propertyName;
    return at([...path, name], 'key', `invalid name ${JSON.stringify(name)}: expected ${hint}`);
  }
  return at(path, 'value', `invalid value ${JSON.stringify(error.data)}: expected ${hint}`);
}

function describeUnknownKey(name: string, allowed: readonly string[]): string {
  const suggestion = formatSuggestion(name, allowed);
  if (suggestion !== '') return `unknown key "${name}"${suggestion}`;
  return `unknown key "${name}"; expected one of: ${allowed.join(', ')}`;
}

function describeBound(error: ErrorObject): string {
  const { keyword, params, data } = error;
  const limit = Number(params.limit);
  switch (keyword) {
    case 'minLength':
      return 'expected a non-empty string';
    case 'maxLength':
      return `expected at most ${limit} characters, got ${String(data).length}`;
    case 'minItems':
      return limit === 1 ? 'expected a non-empty list' : `expected at least ${limit} items`;
    case 'minProperties':
      return limit === 1 ? 'expected at least one entry' : `expected at least ${limit} entries`;
    case 'minimum':
      return `expected a number >= ${limit}, got ${String(data)}`;
    default:
      return error.message ?? `failed check ${keyword}`;
  }
}

function describeAnyOfKeys(schema: unknown): string {
  const branches = Array.isArray(schema) ? (schema as { required?: string[] }[]) : [];
  return branches
    .flatMap((b) => b.required ?? [])
    .map((k) => `"${k}"`)
    .join(', ');
}

/** A JSON Pointer as the path of keys and indices the YAML locator walks. */
function toYamlPath(pointer: string, data: unknown): YamlPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node);
    path.push(isIndex ? Number(segment) : segment);
    node = isIndex
      ? (node as unknown[])[Number(segment)]
      : (node as Record<string, unknown>)?.[segment];
  }
  return path;
}
