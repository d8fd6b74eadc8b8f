import { isDigest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import type { MetadataStore, ModelVersion, ModelVersionRef } from '../registry/types.js';

/**
 * `NAME` (the latest version), `NAME@3`, `NAME:production` (an alias) or `NAME@sha256:<hex>`:
 * how people name a model version on the command line.
 */
export function parseModelRef(text: string): { name: string; ref: ModelVersionRef | 'latest' } {
  const alias = /^([^@:]+):([A-Za-z0-9][\w.-]*)$/.exec(text);
  if (alias) return { name: alias[1] as string, ref: { alias: alias[2] as string } };
  const at = /^([^@:]+)@(.+)$/.exec(text);
  if (at) {
    const [, name = '', target = ''] = at;
    if (/^\d+$/.test(target) && Number(target) > 0)
      return { name, ref: { version: Number(target) } };
    if (isDigest(target)) return { name, ref: { digest: target } };
  } else if (/^[^@:\s]+$/.test(text)) {
    return { name: text, ref: 'latest' };
  }
  throw new WeftError(
    'USAGE',
    `failed to read model reference "${text}": expected NAME, NAME@VERSION, NAME:ALIAS or NAME@sha256:<hex>`,
  );
}

/** The version a reference names, or NOT_FOUND. */
export async function findModelVersion(m: MetadataStore, text: string): Promise<ModelVersion> {
  const { name, ref } = parseModelRef(text);
  const version =
    ref === 'latest'
      ? (await m.listModelVersions(name, { limit: 1 }))[0]
      : await m.getModelVersion(name, ref);
  if (!version) throw new WeftError('NOT_FOUND', `failed to find model ${text}: no such version`);
  return version;
}

/** A reference given on the command line, else the latest version of the pipeline's model. */
export function defaultModelRef(
  text: string | undefined,
  pipelineModel: string | undefined,
): string {
  if (text !== undefined) return text;
  if (pipelineModel !== undefined) return pipelineModel;
  throw new WeftError(
    'USAGE',
    'name a model version (NAME, NAME@VERSION, NAME:ALIAS): weft.yaml declares no spec.model',
  );
}
