import { resolveDeploymentTarget } from '../controller/resolve-target.js';
import type { MetadataStore } from '../registry/types.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import type { TargetLookup } from './deployment-preview.js';

/**
 * Looks each deployment's model selector up in the local registry, the way the controller
 * resolves it before a rollout, by deployment name.
 */
export async function lookupDeploymentTargets(
  metadata: MetadataStore,
  deployments: readonly ResolvedDeployment[],
): Promise<Map<string, TargetLookup>> {
  const targets = new Map<string, TargetLookup>();
  for (const deployment of deployments) {
    const found = await resolveDeploymentTarget(metadata, deployment.spec.model);
    targets.set(
      deployment.name,
      found ? { found: true, version: found.version, digest: found.digest } : { found: false },
    );
  }
  return targets;
}
