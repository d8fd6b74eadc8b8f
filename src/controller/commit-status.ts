import type { CommitStatusInput, GitHostReporter } from '../git-hosts/index.js';
import { commitOfRevision } from '../source/source-spec.js';
import type { ControllerEvent } from './notify/index.js';

type CommitState = CommitStatusInput['state'];

/** Which events of a deployment say something about the commit that asked for it. */
const STATE_OF_EVENT: Readonly<Record<string, CommitState>> = {
  CanaryStarted: 'pending',
  ShadowStarted: 'pending',
  SwitchedOver: 'pending',
  Applied: 'success',
  Promoted: 'success',
  RolledBack: 'failure',
  ReconcileFailed: 'error',
};

/**
 * The commit status an event sets on its revision's commit (`weft/deploy/<name>`), or null when
 * the event is about something else or names no commit. Pure, for the table-driven tests.
 */
export function commitStatusOf(event: ControllerEvent): CommitStatusInput | null {
  const state = STATE_OF_EVENT[event.type];
  const sha = commitOfRevision(event.revision ?? null);
  if (!state || !sha || event.object.kind !== 'ModelDeployment') return null;
  return {
    sha,
    state,
    context: `weft/deploy/${event.object.name}`,
    description: event.message,
  };
}

/** Sets the status an event implies; a host that fails is logged, never fails the controller. */
export async function reportCommitStatus(
  reporter: Pick<GitHostReporter, 'setCommitStatus'>,
  event: ControllerEvent,
  logger: { warn(fields: object, message: string): void },
): Promise<void> {
  const status = commitStatusOf(event);
  if (!status) return;
  await reporter.setCommitStatus(status).catch((error: unknown) => {
    logger.warn({ err: error, context: status.context }, 'could not set the commit status');
  });
}
