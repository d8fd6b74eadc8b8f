import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpecError, WeftError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { parseParamsSource, validateParamRefs } from './params.js';
import { parsePipelineSource } from './pipeline.js';
import type { PipelineSource } from './pipeline.js';
import { readCachedSpec, writeCachedSpec, type ResolvedSpec } from './spec-cache.js';
import type { ParamValues } from './types.js';

/**
 * Reads `<root>/<file>` and the params file it names, and checks every param reference.
 * Throws SpecError listing all problems of both files, or WeftError when weft.yaml is absent.
 * With `cacheFile`, unchanged files are not parsed again (see spec-cache.ts).
 */
export async function readPipeline(
  root: string,
  file = 'weft.yaml',
  options: { cacheFile?: string } = {},
): Promise<ResolvedSpec> {
  const text = await readSpecFile(root, file);
  if (text === undefined) {
    throw new WeftError(
      'SPEC_INVALID',
      `failed to read ${file}: no such file in ${root}; run \`weft init\` to create one`,
    );
  }
  const readParamsText = (paramsFile: string): Promise<string | undefined> =>
    readSpecFile(root, paramsFile);
  const { cacheFile } = options;
  const cached = cacheFile && (await readCachedSpec(cacheFile, text, readParamsText));
  if (cached) return cached;
  const source = parsePipelineSource(text, file, root);
  const paramsText = await readParamsText(source.pipeline.paramsFile);
  const { params, problems } = checkParams(source, paramsText);
  const all = [...source.problems, ...problems];
  if (all.length > 0) throw new SpecError(all);
  const spec = { pipeline: source.pipeline, params };
  if (cacheFile) await writeCachedSpec(cacheFile, text, paramsText, spec);
  return spec;
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

/** The file's text, or undefined when it does not exist; other failures are errors. */
async function readSpecFile(root: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WeftError('SPEC_INVALID', `failed to read ${file} in ${root}: ${String(error)}`, {
      cause: error,
    });
  }
}
