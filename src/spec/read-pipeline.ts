import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeftError } from '../core/errors.js';
import { readCachedSpec, writeCachedSpec, type ResolvedSpec } from './spec-cache.js';

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
  // The parser and its libraries load only now, when a spec file changed.
  const { resolveSpec } = await import('./resolve-spec.js');
  const { spec, paramsText } = await resolveSpec(text, file, root, readParamsText);
  if (cacheFile) await writeCachedSpec(cacheFile, text, paramsText, spec);
  return spec;
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
