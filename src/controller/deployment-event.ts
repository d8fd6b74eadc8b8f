import type { DeploymentChangeScope } from './deployment-audit.js';
import type { EventDraft } from './notify/index.js';

/** What sets one deployment event apart; the object and revision come from the reconcile. */
type DeploymentEventFields = Pick<EventDraft, 'type' | 'severity' | 'message'> & {
  reason: string;
};

/**
 * An event about a deployment, at the revision being reconciled, so every step names the
 * deployment and revision the same way (as `auditDeploymentChange` does for the audit log).
 */
export function deploymentEvent(
  { context, deployment }: Pick<DeploymentChangeScope, 'context' | 'deployment'>,
  { type, severity, reason, message }: DeploymentEventFields,
): EventDraft {
  return {
    type,
    severity,
    object: { kind: 'ModelDeployment', name: deployment.name },
    reason,
    revision: context.revision,
    message,
  };
}
