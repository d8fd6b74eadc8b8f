/**
 * Test helper: scripts/generate-validators.mjs, the one place that knows the Ajv options weft
 * validates with, loaded with types. Imported by URL so TypeScript does not look for its types.
 */
import type { Ajv } from 'ajv';

export interface ValidatorGenerator {
  GENERATE_COMMAND: string;
  /** Ajv with weft's options, compiling at run time (what the generated code replaces). */
  createAjv: () => Ajv;
  /** The generated files as they would be written now, repo-relative path → text. */
  renderValidators: () => Record<string, string>;
}

const GENERATOR_URL = new URL('../../scripts/generate-validators.mjs', import.meta.url);

export async function loadValidatorGenerator(): Promise<ValidatorGenerator> {
  return (await import(GENERATOR_URL.href)) as ValidatorGenerator;
}
