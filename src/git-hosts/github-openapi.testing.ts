/**
 * Test helper: checks a request against GitHub's published REST API description
 * (`@octokit/openapi`, generated/api.github.com.json, OpenAPI 3.0): the operation is found by
 * method and path template, path and query parameters are checked against their schemas (an
 * undeclared query parameter is a problem), and the JSON body is validated with ajv against
 * the operation's requestBody schema, made strict (a property the schema does not declare is a
 * problem too, as GitHub would silently ignore a misspelt field). The headers GitHub's docs
 * require (they are not in the description) are checked by the caller.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
  'x-multi-segment'?: boolean;
}

export interface GitHubOperation {
  operationId: string;
  method: string;
  template: string;
  parameters: Parameter[];
  bodyRequired: boolean;
  bodySchema?: Json;
  matcher: RegExp;
  literalSegments: number;
}

export interface OperationCheck {
  operationId?: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  problems: string[];
}

const require = createRequire(import.meta.url);
const SPEC_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json');

/** The whole description, read once per test file (13 MB, about 0.2 s). */
export const githubSpec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json & {
  paths: Record<string, Record<string, Json>>;
  components: Record<string, Record<string, Json>>;
};

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });

const operations = indexOperations();
const bodyValidators = new Map<string, ValidateFunction>();

/** The spec's example for a component, e.g. `issue-comment`, as a fresh object. */
export function githubExample(name: string): Json {
  const example = githubSpec.components.examples?.[name] as { value: Json } | undefined;
  if (!example) throw new Error(`no example ${name} in the GitHub OpenAPI description`);
  return structuredClone(example.value);
}

export function checkGitHubOperation(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  body: unknown,
  bodyText: string,
): OperationCheck {
  const candidates = operations
    .filter((op) => op.method === method.toLowerCase() && op.matcher.test(rawPath))
    .sort((a, b) => b.literalSegments - a.literalSegments);
  const operation = candidates[0];
  if (!operation) return { params: {}, problems: [`no ${method} operation matches ${rawPath}`] };
  const problems: string[] = [];
  const params = pathParams(operation, rawPath, problems);
  checkQuery(operation, query, problems);
  checkBody(operation, body, bodyText, problems);
  return { operationId: operation.operationId, params, problems };
}

function indexOperations(): GitHubOperation[] {
  const found: GitHubOperation[] = [];
  for (const [template, item] of Object.entries(githubSpec.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
      const parameters = ((raw.parameters as Json[] | undefined) ?? []).map(
        (p) => resolve(p) as unknown as Parameter,
      );
      const content = resolve(raw.requestBody as Json | undefined)?.content as
        Record<string, { schema?: Json }> | undefined;
      const bodySchema = content?.['application/json']?.schema;
      found.push({
        operationId: String(raw.operationId),
        method,
        template,
        parameters,
        bodyRequired: Boolean((raw.requestBody as Json | undefined)?.required),
        ...(bodySchema ? { bodySchema } : {}),
        matcher: templateMatcher(template, parameters),
        literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      });
    }
  }
  return found;
}

function templateMatcher(template: string, parameters: Parameter[]): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let source = '';
  let last = 0;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    const multi = parameters.find((p) => p.name === match[1])?.['x-multi-segment'];
    source += escape(template.slice(last, match.index)) + (multi ? '(.+)' : '([^/]+)');
    last = match.index + match[0].length;
  }
  return new RegExp(`^${source}${escape(template.slice(last))}$`);
}

function pathParams(
  op: GitHubOperation,
  rawPath: string,
  problems: string[],
): Record<string, string> {
  const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = op.matcher.exec(rawPath)!.slice(1);
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = decodeURIComponent(values[i]!);
    params[name] = value;
    const declared = op.parameters.find((p) => p.in === 'path' && p.name === name);
    if (!declared) problems.push(`path parameter ${name} is not declared`);
    else checkValue(`path parameter ${name}`, declared.schema, value, problems);
  });
  return params;
}

function checkQuery(op: GitHubOperation, query: URLSearchParams, problems: string[]): void {
  const declared = op.parameters.filter((p) => p.in === 'query');
  for (const [name, value] of query) {
    const param = declared.find((p) => p.name === name);
    if (!param) problems.push(`query parameter ${name} is not declared by ${op.operationId}`);
    else checkValue(`query parameter ${name}`, param.schema, value, problems);
  }
  for (const param of declared) {
    if (param.required && !query.has(param.name))
      problems.push(`query parameter ${param.name} is required`);
  }
}

function checkValue(what: string, schema: Json | undefined, raw: string, problems: string[]): void {
  if (!schema) return;
  const numeric = schema.type === 'integer' || schema.type === 'number';
  if (numeric && !/^-?\d+(\.\d+)?$/.test(raw)) {
    problems.push(`${what} ${JSON.stringify(raw)} is not a number`);
    return;
  }
  const value = numeric ? Number(raw) : schema.type === 'boolean' ? raw === 'true' : raw;
  if (!ajv.validate(resolveDeep(schema) as object, value)) {
    problems.push(`${what} ${JSON.stringify(raw)}: ${ajv.errorsText(ajv.errors)}`);
  }
}

function checkBody(op: GitHubOperation, body: unknown, bodyText: string, problems: string[]): void {
  if (bodyText === '') {
    if (op.bodyRequired) problems.push(`${op.operationId} requires a JSON body`);
    return;
  }
  if (!op.bodySchema) {
    problems.push(`${op.operationId} takes no body`);
    return;
  }
  if (body === undefined) {
    problems.push('the body is not JSON');
    return;
  }
  let validate = bodyValidators.get(op.operationId);
  if (!validate) {
    validate = ajv.compile(strictObjects(resolveDeep(op.bodySchema)) as object);
    bodyValidators.set(op.operationId, validate);
  }
  if (!validate(body)) {
    problems.push(`body does not match ${op.operationId}: ${ajv.errorsText(validate.errors)}`);
  }
}

function resolve(node: Json | undefined): Json | undefined {
  if (!node || typeof node.$ref !== 'string') return node;
  const [, , group, name] = node.$ref.split('/');
  return resolve(githubSpec.components[group!]?.[name!]);
}

/** Every `$ref` replaced by its target (the request schemas used here have no cycles). */
function resolveDeep(node: unknown, depth = 0): unknown {
  if (depth > 40) throw new Error('$ref nesting too deep: a cycle?');
  if (Array.isArray(node)) return node.map((item) => resolveDeep(item, depth + 1));
  if (typeof node !== 'object' || node === null) return node;
  const target = resolve(node as Json)!;
  return Object.fromEntries(
    Object.entries(target).map(([key, value]) => [key, resolveDeep(value, depth + 1)]),
  );
}

/** `additionalProperties: false` wherever an object lists its properties and says nothing else. */
function strictObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictObjects);
  if (typeof node !== 'object' || node === null) return node;
  const copy = Object.fromEntries(
    Object.entries(node as Json).map(([key, value]) => [key, strictObjects(value)]),
  );
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}
