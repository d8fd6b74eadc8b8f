import { SpecError, WeftError } from '../core/errors.js';
import type { SourceLocation, SpecProblem } from '../core/errors.js';
import { describeValue } from './messages.js';
import { formatSuggestion } from './suggest.js';
import type { ParamValues } from './types.js';
import { isPlainObject, locatePath, parseYamlSource } from './yaml-document.js';
import type { YamlSource } from './yaml-document.js';

/** A stage's reference to a param, with where it is written in weft.yaml. */
export interface ParamRef {
  stage: string;
  path: string;
  /** Dotted key of the entry, e.g. `spec.stages.train.params[1]`. */
  key: string;
  location: SourceLocation;
}

const PARAMS_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

/**
 * Parameter values from a params file: a plain YAML mapping (as DVC's params.yaml), or a
 * `kind: Params` document whose `spec` holds them. An empty file holds no params.
 */
export function parseParams(text: string, file: string): ParamValues {
  const { params, problems } = parseParamsSource(text, file);
  if (problems.length > 0) throw new SpecError(problems);
  return params;
}

export function parseParamsSource(
  text: string,
  file: string,
): { params: ParamValues; problems: SpecProblem[] } {
  const { source, problems } = parseYamlSource(text, file);
  if (problems.length > 0) return { params: {}, problems };
  const data = source.data ?? {};
  if (!isPlainObject(data)) {
    const message = `expected a mapping of parameter values, got ${describeValue(data)}`;
    return { params: {}, problems: [{ ...locatePath(source, [], 'value'), key: '', message }] };
  }
  if ('apiVersion' in data && 'kind' in data) return readParamsDocument(source, data);
  return { params: data, problems: [] };
}

function readParamsDocument(
  source: YamlSource,
  data: Record<string, unknown>,
): { params: ParamValues; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const report = (key: string, target: 'key' | 'value', message: string): void => {
    problems.push({ ...locatePath(source, key === '' ? [] : [key], target), key, message });
  };
  if (data.apiVersion !== 'weft.dev/v1') {
    report(
      'apiVersion',
      'value',
      `expected "weft.dev/v1", got ${describeValue(data.apiVersion, true)}`,
    );
  }
  if (data.kind !== 'Params') {
    report('kind', 'value', `expected "Params", got ${describeValue(data.kind, true)}`);
  }
  for (const key of Object.keys(data).filter((k) => !PARAMS_KEYS.includes(k))) {
    report(key, 'key', `unknown key "${key}"${formatSuggestion(key, PARAMS_KEYS)}`);
  }
  const spec = data.spec;
  if (spec === undefined) report('', 'value', 'required key "spec" is missing');
  else if (!isPlainObject(spec))
    report('spec', 'value', `expected a mapping, got ${describeValue(spec)}`);
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  return { params: isPlainObject(spec) ? spec : {}, problems };
}

/** The value at a dotted path (`train.lr`; digits index lists: `layers.0`). */
export function lookupParam(
  params: ParamValues,
  path: string,
): { found: true; value: unknown } | { found: false } {
  let node: unknown = params;
  for (const segment of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(segment) && Number(segment) < node.length) {
      node = node[Number(segment)];
    } else if (isPlainObject(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: node };
}

/**
 * The values the dotted `paths` select, keyed by path: `train.lr` gives a value, `train` the
 * whole section. A path that does not exist is a bug in the caller (validateParamRefs checks
 * references when the spec is read), so it throws.
 */
export function selectParams(
  params: ParamValues,
  paths: readonly string[],
): Record<string, unknown> {
  // fromEntries, not assignment: a param named `__proto__` must stay a plain key.
  return Object.fromEntries(paths.map((path) => [path, selectParam(params, path)]));
}

function selectParam(params: ParamValues, path: string): unknown {
  const hit = lookupParam(params, path);
  if (!hit.found) throw new WeftError('SPEC_INVALID', `failed to select param ${path}: not found`);
  return hit.value;
}

/** Every dotted path into mappings of `params` (lists are leaves), for suggestions. */
export function listParamPaths(params: ParamValues, prefix = '', out: string[] = []): string[] {
  for (const [key, value] of Object.entries(params)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(path);
    if (isPlainObject(value)) listParamPaths(value, path, out);
  }
  return out;
}

/** A problem for each reference to a param the params file does not have. */
export function validateParamRefs(
  refs: readonly ParamRef[],
  params: ParamValues,
  paramsFile: string,
): SpecProblem[] {
  const missing = refs.filter((ref) => !lookupParam(params, ref.path).found);
  if (missing.length === 0) return [];
  const known = listParamPaths(params);
  return missing.map((ref) => ({
    ...ref.location,
    key: ref.key,
    message: `param ${ref.path} not found in ${paramsFile}${formatSuggestion(ref.path, known, false)}`,
  }));
}
