import { SpecError } from '../core/errors.js';
import type { SourceLocation, SpecProblem } from '../core/errors.js';
import { describeValue } from './messages.js';
import { formatSuggestion } from '../core/suggest.js';
import type { ParamValues } from './types.js';
import { listParamPaths, lookupParam } from './param-paths.js';
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
