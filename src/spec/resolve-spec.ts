import { SpecError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { parseParamsSource, validateParamRefs } from './params.js';
import { parsePipelineSource } from './pipeline.js';
import type { PipelineSource } from './pipeline.js';
import type { ResolvedSpec } from './spec-cache.js';
import type { ParamValues } from './types.js';

/**
 * Parses weft.yaml text and the params file it names, and checks every param reference.
 * Throws SpecError listing all problems of both files.
 */
export async function resolveSpec(
  text: string,
  file: string,
  root: string,
  readParamsText: (paramsFile: string) => Promise<string | undefined>,
): Promise<{ spec: ResolvedSpec; paramsText: string | undefined }> {
  const source = parsePipelineSource(text, file, root);
  const paramsText = await readParamsText(source.pipeline.paramsFile);
  const { params, problems } = checkParams(source, paramsText);
  const all = [...source.problems, ...problems];
  if (all.length > 0) throw new SpecError(all);
  return { spec: { pipeline: source.pipeline, params }, paramsText };
}

function checkParams(
  source: PipelineSource,
  text: string | undefined,
): { params: ParamValues; problems: SpecProblem[] } {
  const { paramsFile } = source.pipeline;
  if (text === undefined) {
    const first = source.paramRefs[0];
    if (first === undefined) return { params: {}, problems: [] };
    const where = source.paramsLocation ?? first.location;
    const key = source.paramsLocation ? 'spec.params' : first.key;
    const message = `params file ${paramsFile} not found in the repository (stage ${first.stage} selects param ${first.path})`;
    return { params: {}, problems: [{ ...where, key, message }] };
  }
  const parsed = parseParamsSource(text, paramsFile);
  if (parsed.problems.length > 0) return parsed;
  return {
    params: parsed.params,
    problems: validateParamRefs(source.paramRefs, parsed.params, paramsFile),
  };
}
