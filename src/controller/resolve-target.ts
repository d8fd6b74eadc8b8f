import type { MetadataStore, ModelVersion } from '../registry/types.js';
import type { ResolvedModelSelector } from '../spec/deployment-types.js';

/**
 * The registry version a deployment's `spec.model` selects: the version, alias or digest it
 * names, or, following a branch before the first bump, the newest version that passed its gates.
 * Undefined when the registry has no such version. The controller rolls out what this returns;
 * `weft ci` previews with it, so both read a spec the same way.
 */
export async function resolveDeploymentTarget(
  metadata: MetadataStore,
  model: ResolvedModelSelector,
): Promise<ModelVersion | undefined> {
  return model.ref
    ? metadata.getModelVersion(model.name, model.ref)
    : newestValidated(metadata, model.name);
}

async function newestValidated(
  metadata: MetadataStore,
  name: string,
): Promise<ModelVersion | undefined> {
  for (const version of await metadata.listModelVersions(name, { limit: 50 })) {
    const [validation] = await metadata.listModelChecks(name, version.version, {
      kind: 'validation',
      limit: 1,
    });
    if (validation?.passed) return version;
  }
  return undefined;
}

/** How a selector names its version, for messages: `2`, `with alias production`, a digest. */
export function describeModelRef(ref: ResolvedModelSelector['ref']): string {
  if (!ref) return 'that passed its gates';
  if ('version' in ref) return String(ref.version);
  if ('alias' in ref) return `with alias ${ref.alias}`;
  return ref.digest;
}
