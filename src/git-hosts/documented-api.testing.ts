/**
 * Test helper: requests checked against API shapes written down from a host's reference docs,
 * for hosts whose API description is not on npm (GitLab, Bitbucket Cloud). Each route names its
 * method, path pattern, query and body as JSON Schemas; anything not written down is a problem,
 * as a misspelt field would be silently ignored by the real host.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { RecordedRequest } from './fake-host.testing.js';

export interface DocumentedRoute {
  name: string;
  method: string;
  /** Matched against the raw (percent-encoded) path; groups become `params`. */
  path: RegExp;
  /** An object schema; query values are coerced to the property's declared type. */
  query?: Record<string, unknown> & {
    properties: Record<string, { type?: string; [keyword: string]: unknown }>;
  };
  body?: Record<string, unknown>;
}

export interface RouteCheck {
  route?: DocumentedRoute;
  params: string[];
  problems: string[];
}

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat('uri', /^https?:\/\/\S+$/i);
const compiled = new WeakMap<object, ValidateFunction>();

function validator(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export function checkDocumentedRoute(
  routes: readonly DocumentedRoute[],
  request: RecordedRequest,
): RouteCheck {
  const route = routes.find((r) => r.method === request.method && r.path.test(request.rawPath));
  if (!route)
    return {
      params: [],
      problems: [`no documented ${request.method} route matches ${request.rawPath}`],
    };
  const params = route.path.exec(request.rawPath)!.slice(1);
  const problems: string[] = [];
  checkQuery(route, request.query, problems);
  if (route.body) {
    if (request.body === undefined) problems.push(`${route.name} needs a JSON body`);
    else if (!validator(route.body)(request.body)) {
      problems.push(
        `body does not match ${route.name}: ${ajv.errorsText(validator(route.body).errors)}`,
      );
    }
  } else if (request.bodyText !== '') {
    problems.push(`${route.name} takes no body`);
  }
  return { route, params, problems };
}

function checkQuery(route: DocumentedRoute, query: URLSearchParams, problems: string[]): void {
  const schema = route.query ?? { type: 'object', properties: {}, additionalProperties: false };
  const values: Record<string, unknown> = {};
  for (const [name, raw] of query) {
    const type = schema.properties[name]?.type;
    values[name] = type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  const validate = validator(schema);
  if (!validate(values))
    problems.push(`query of ${route.name}: ${ajv.errorsText(validate.errors)}`);
}
