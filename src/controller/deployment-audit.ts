import type { ResolvedDeployment } from '../spec/deployment-types.js';
import type { DeploymentContext } from './reconcile-deployment.js';

/** What a reconcile of one deployment has in hand when it changes something. */
export interface DeploymentChangeScope {
  context: DeploymentContext;
  deployment: ResolvedDeployment;
  now: Date;
}

/**
 * Records a change the controller made to a deployment's live state (apply, heal, rollout start,
 * promotion, rollback) in the audit log, at the revision being reconciled.
 */
export async function auditDeploymentChange(
  { context, deployment, now }: DeploymentChangeScope,
  change: { action: string; before: unknown; after: unknown },
): Promise<void> {
  await context.metadata.appendAudit({
    at: now,
    actor: 'controller',
    action: change.action,
    object: { kind: 'ModelDeployment', name: deployment.name },
    revision: context.revision,
    before: change.before,
    after: change.after,
  });
}
