/**
 * Status as conditions, as Kubernetes and Flux write them: each type present only while it says
 * something, `lastTransitionTime` moving only when the status flips.
 */
export type ConditionType =
  'Ready' | 'Reconciling' | 'Stalled' | 'Drifted' | 'RolloutFailed' | 'FetchFailed';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  /** CamelCase, from REASONS. */
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** Every reason the controller writes, in one place. */
export const REASONS = {
  applied: 'Applied',
  progressing: 'Progressing',
  versionNotFound: 'VersionNotFound',
  buildFailed: 'BuildFailed',
  gatesFailed: 'GatesFailed',
  loadFailed: 'LoadFailed',
  fetchFailed: 'FetchFailed',
  invalidSpec: 'InvalidSpec',
  liveChanged: 'LiveChanged',
  healed: 'Healed',
  outOfSync: 'OutOfSync',
  suspended: 'Suspended',
} as const;

/** Sets (or replaces) a condition; keeps the old transition time when the status is unchanged. */
export function setCondition(
  conditions: readonly Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous && previous.status === next.status ? previous.lastTransitionTime : now.toISOString();
  return [...conditions.filter((c) => c.type !== next.type), { ...next, lastTransitionTime }].sort(
    (a, b) => a.type.localeCompare(b.type),
  );
}

export function removeCondition(
  conditions: readonly Condition[],
  type: ConditionType,
): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

export function findCondition(
  conditions: readonly Condition[],
  type: ConditionType,
): Condition | undefined {
  return conditions.find((c) => c.type === type);
}
