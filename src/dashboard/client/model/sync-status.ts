import type { Condition } from '../../../controller/conditions.js';
import type { DeploymentStatus } from '../api/types.js';

/** Where a deployment stands against what Git declares, as the overview names it. */
export type SyncState =
  'in-sync' | 'out-of-sync' | 'drifted' | 'progressing' | 'rolled-back' | 'suspended' | 'unknown';

export interface SyncStatus {
  state: SyncState;
  /** Words, not a colour: `in sync`, `rolled back`... */
  label: string;
  /** The condition's message behind the state. */
  detail: string;
}

const LABELS: Record<SyncState, string> = {
  'in-sync': 'in sync',
  'out-of-sync': 'out of sync',
  drifted: 'drifted',
  progressing: 'progressing',
  'rolled-back': 'rolled back',
  suspended: 'suspended',
  unknown: 'not reconciled yet',
};

/**
 * A rollout in progress comes first (it is what changes by the second), then live state changed
 * by hand, then a rollback that still stands (RolloutFailed stays until the next rollout
 * starts), then Ready.
 */
export function describeSync(status: DeploymentStatus): SyncStatus {
  const conditions = status.conditions;
  const isTrue = (type: string): Condition | undefined =>
    conditions.find((c) => c.type === type && c.status === 'True');
  const ready = conditions.find((c) => c.type === 'Ready');
  const reconciling = isTrue('Reconciling');
  const of = (state: SyncState, detail: string): SyncStatus => ({
    state,
    label: LABELS[state],
    detail,
  });
  if (status.rollout !== null || reconciling) {
    const rollout = status.rollout;
    return of(
      'progressing',
      reconciling?.message ??
        (rollout ? `canary ${rollout.canary.version} at step ${rollout.step + 1}` : ''),
    );
  }
  const drifted = isTrue('Drifted');
  if (drifted) return of('drifted', drifted.message);
  const failed = isTrue('RolloutFailed');
  if (failed) return of('rolled-back', failed.message);
  if (ready === undefined) return of('unknown', 'the controller has not reconciled it yet');
  if (ready.reason === 'Suspended') return of('suspended', ready.message);
  if (ready.status === 'True') return of('in-sync', ready.message);
  return of('out-of-sync', ready.message);
}
