import { resolve } from 'node:path';
import { SpecError } from '../core/errors.js';
import type { SourceLocation, SpecProblem } from '../core/errors.js';
import type { ParamRef } from './params.js';
import { resolveEvaluation, resolveGates } from './evaluation-spec.js';
import { Resolver, toArray } from './resolver.js';
import { validatePipelineSchema } from './schema-validate.js';
import type { ResolvedModel, ResolvedPipeline, ResolvedStage } from './types.js';
import { formatKeyPath, isPlainObject, locatePath, parseYamlSource } from './yaml-document.js';
import type { YamlPath, YamlSource } from './yaml-document.js';

export const DEFAULT_PARAMS_FILE = 'params.yaml';

/** A weft.yaml read as far as it goes: whatever resolved, the problems found, the param refs. */
export interface PipelineSource {
  pipeline: ResolvedPipeline;
  paramRefs: ParamRef[];
  /** Where the params file is named (`spec.params`), or undefined when defaulted. */
  paramsLocation?: SourceLocation;
  problems: SpecProblem[];
}

/**
 * Parses and validates a weft.yaml (`file` is the name errors show, `root` the repo it is in).
 * Pure; throws SpecError listing every problem found.
 */
export function parsePipeline(text: string, file: string, root: string): ResolvedPipeline {
  const { pipeline, problems } = parsePipelineSource(text, file, root);
  if (problems.length > 0) throw new SpecError(problems);
  return pipeline;
}

/** Like parsePipeline but returns problems, so the caller can add the params file's to them. */
export function parsePipelineSource(text: string, file: string, root: string): PipelineSource {
  const { source, problems } = parseYamlSource(text, file);
  if (problems.length > 0) {
    return { pipeline: emptyPipeline(file, root), paramRefs: [], problems };
  }
  const schemaProblems = validatePipelineSchema(source);
  const resolved = resolvePipeline(source, root);
  // Schema and path rules can flag the same node; one message per location and key is enough.
  resolved.problems = sortProblems(dedupeProblems([...schemaProblems, ...resolved.problems]));
  return resolved;
}

function emptyPipeline(file: string, root: string): ResolvedPipeline {
  return {
    apiVersion: 'weft.dev/v1',
    kind: 'Pipeline',
    name: '',
    file: resolve(root, file),
    paramsFile: DEFAULT_PARAMS_FILE,
    stages: [],
  };
}

function resolvePipeline(source: YamlSource, root: string): PipelineSource {
  const r = new Resolver(source);
  const data = isPlainObject(source.data) ? source.data : {};
  const metadata = asRecord(data.metadata);
  const spec = asRecord(data.spec);
  const pipeline = emptyPipeline(source.file, root);
  pipeline.name = typeof metadata.name === 'string' ? metadata.name : '';
  pipeline.paramsFile = r.path(spec.params, ['spec', 'params']) ?? DEFAULT_PARAMS_FILE;
  for (const [name, raw] of Object.entries(asRecord(spec.stages))) {
    pipeline.stages.push(resolveStage(r, name, asRecord(raw)));
  }
  const model = resolveModel(r, spec.model);
  if (model) pipeline.model = model;
  const evaluation = isPlainObject(spec.evaluation)
    ? resolveEvaluation(r, spec.evaluation)
    : undefined;
  if (evaluation) pipeline.evaluation = evaluation;
  if (Array.isArray(spec.gates)) pipeline.gates = resolveGates(r, spec.gates, evaluation);
  const paramsLocation =
    spec.params === undefined ? undefined : locatePath(source, ['spec', 'params'], 'value');
  return { pipeline, paramRefs: r.paramRefs, problems: r.problems, paramsLocation };
}

function resolveStage(r: Resolver, name: string, raw: Record<string, unknown>): ResolvedStage {
  const at: YamlPath = ['spec', 'stages', name];
  const env = Object.entries(asRecord(raw.env)).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return {
    name,
    cmd: resolveCmd(raw.cmd),
    wdir: r.path(raw.wdir, [...at, 'wdir'], true) ?? '.',
    deps: unique(r.paths(raw.deps, [...at, 'deps']).map((p) => p.path)),
    params: resolveParamRefs(r, name, raw.params, [...at, 'params']),
    ...resolveOutputs(r, raw, at),
    env: Object.fromEntries(env),
    alwaysRun: raw.alwaysRun === true,
    location: locatePath(r.source, at, 'key'),
  };
}

/** A list of commands runs in order and stops at the first failure, as `a && b` does. */
function resolveCmd(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  return toArray(raw)
    .filter((c): c is string => typeof c === 'string')
    .join(' && ');
}

function resolveParamRefs(r: Resolver, stage: string, raw: unknown, at: YamlPath): string[] {
  const paths: string[] = [];
  for (const [index, item] of toArray(raw).entries()) {
    if (typeof item !== 'string' || paths.includes(item)) continue;
    paths.push(item);
    const entry = [...at, index];
    const location = locatePath(r.source, entry, 'value');
    r.paramRefs.push({ stage, path: item, key: formatKeyPath(entry), location });
  }
  return paths;
}

/** outs and metrics are both written by the stage, so a path may appear once across the two. */
function resolveOutputs(
  r: Resolver,
  raw: Record<string, unknown>,
  at: YamlPath,
): { outs: string[]; metrics: string[] } {
  const seen = new Map<string, string>();
  const keep = (list: { path: string; at: YamlPath }[]): string[] =>
    list.flatMap(({ path, at: entry }) => {
      const first = seen.get(path);
      if (first !== undefined) {
        r.report(entry, `"${path}" is already listed at ${first}; list each output once`);
        return [];
      }
      seen.set(path, formatKeyPath(entry));
      return [path];
    });
  const outs = keep(r.paths(raw.outs, [...at, 'outs']));
  const metrics = keep(r.paths(raw.metrics, [...at, 'metrics']));
  return { outs, metrics };
}

function resolveModel(r: Resolver, raw: unknown): ResolvedModel | undefined {
  if (!isPlainObject(raw)) return undefined;
  const artifact = r.path(raw.artifact, ['spec', 'model', 'artifact']);
  if (typeof raw.name !== 'string' || artifact === undefined) return undefined;
  return { name: raw.name, artifact };
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function dedupeProblems(problems: SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.line}:${p.col}:${p.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function sortProblems(problems: SpecProblem[]): SpecProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
