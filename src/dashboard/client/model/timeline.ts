import type { AnalysisCheck, AuditEntry, DeploymentDetail } from '../api/types.js';
import { readChecks } from './checks.js';
import { formatJson } from './format.js';

/**
 * A deployment's rollout timeline: what the audit log recorded (applies, canary starts,
 * promotions, rollbacks with the checks that decided them, heals, reverts proposed in Git)
 * merged with the analysis steps this page saw while polling (the controller keeps only the
 * last analysis of a rollout in progress, so earlier steps exist only as they were observed).
 */
export interface TimelineEntry {
  key: string;
  at: string;
  kind: string;
  title: string;
  detail: string;
  revision: string | null;
  actor: string;
  checks: AnalysisCheck[];
  /** Read with the title's words; the colour only repeats it. */
  tone: 'good' | 'bad' | 'neutral';
}

/** One analysis of a rollout in progress, as the status showed it at `at`. */
export interface ObservedStep {
  at: string;
  canary: string;
  primary: string;
  step: number;
  failedChecks: number;
  /** The canary's share of traffic in percent, from the live server; null without one. */
  canaryWeight: number | null;
  checks: AnalysisCheck[];
}

type Fields = Record<string, unknown>;
const fieldsOf = (value: unknown): Fields =>
  typeof value === 'object' && value !== null ? (value as Fields) : {};
const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '?';

/** What one audit entry of a deployment says, in a title and a detail. */
export function describeAuditEntry(entry: AuditEntry): TimelineEntry {
  const before = fieldsOf(entry.before);
  const after = fieldsOf(entry.after);
  const base = {
    key: `audit-${entry.id}`,
    at: entry.at,
    kind: entry.action.replace(/^deployment\./, ''),
    revision: entry.revision,
    actor: entry.actor,
    checks: [] as AnalysisCheck[],
    detail: '',
    tone: 'neutral' as TimelineEntry['tone'],
  };
  switch (entry.action) {
    case 'deployment.apply':
      return { ...base, title: `applied version ${text(after.version)}`, tone: 'good' };
    case 'deployment.heal':
      return {
        ...base,
        title: `healed: restored version ${text(after.version)}`,
        detail: `live state was ${formatJson(before.live)}`,
      };
    case 'deployment.canary':
      return {
        ...base,
        title: `canary version ${text(after.canary)} started at ${text(after.weight)}%`,
        detail: `version ${text(before.version)} serves the rest`,
      };
    case 'deployment.switch':
      return { ...base, title: `blue-green: version ${text(after.version)} takes all traffic` };
    case 'deployment.promote':
      return {
        ...base,
        title: `promoted version ${text(after.version)}`,
        detail: `replaces version ${text(before.version)}`,
        tone: 'good',
      };
    case 'deployment.rollback': {
      const checks = readChecks(after.checks);
      return {
        ...base,
        title: `rolled back version ${text(before.canary)}; version ${text(after.version)} serves`,
        detail: checks.some((c) => !c.passed) ? 'failed its analysis' : '',
        checks,
        tone: 'bad',
      };
    }
    case 'deployment.revert-proposed':
      return {
        ...base,
        title: `revert proposed in Git on ${text(after.branch)}`,
        detail: `commit ${text(after.commit).slice(0, 10)}`,
      };
    case 'deployment.follow':
      return {
        ...base,
        title: `now follows version ${text(after.version)}`,
        detail: `${after.direct === true ? 'committed' : 'proposed'} on ${text(after.branch)}`,
      };
    case 'deployment.retrain':
      return { ...base, title: 'retrain started: live inputs drifted', detail: text(after.commit) };
    default:
      return {
        ...base,
        title: entry.action.replace(/^deployment\./, '').replace(/-/g, ' '),
        detail: entry.before === null && entry.after === null ? '' : formatJson(entry.after),
      };
  }
}

/**
 * Adds the rollout's current analysis to what was observed, when anything about it changed
 * (step, failures, weight, the checks' values); returns the same array when nothing did.
 */
export function observeRollout(
  observed: readonly ObservedStep[],
  detail: DeploymentDetail,
  at: Date,
): readonly ObservedStep[] {
  const rollout = detail.rollout;
  if (rollout === null) return observed;
  const weight = detail.live?.traffic.weights.find((w) => w.version === rollout.canary.version);
  const total = detail.live?.traffic.weights.reduce((sum, w) => sum + w.weight, 0) ?? 0;
  const step: ObservedStep = {
    at: at.toISOString(),
    canary: rollout.canary.version,
    primary: rollout.primary.version,
    step: rollout.step,
    failedChecks: rollout.failedChecks,
    canaryWeight: weight && total > 0 ? Math.round((weight.weight / total) * 1000) / 10 : null,
    checks: rollout.lastChecks,
  };
  const last = observed.at(-1);
  const same =
    last !== undefined &&
    last.canary === step.canary &&
    last.step === step.step &&
    last.failedChecks === step.failedChecks &&
    last.canaryWeight === step.canaryWeight &&
    JSON.stringify(last.checks) === JSON.stringify(step.checks);
  return same ? observed : [...observed, step];
}

function describeStep(step: ObservedStep, index: number): TimelineEntry {
  const failed = step.checks.filter((c) => !c.passed).length;
  const weight = step.canaryWeight === null ? '' : ` at ${step.canaryWeight}%`;
  return {
    key: `observed-${index}`,
    at: step.at,
    kind: 'step',
    title: `canary version ${step.canary}${weight}, step ${step.step + 1}`,
    detail:
      step.checks.length === 0
        ? 'waiting for its first analysis'
        : `${step.checks.length - failed} of ${step.checks.length} checks passed; ${step.failedChecks} failed analyses so far`,
    revision: null,
    actor: 'observed here',
    checks: step.checks,
    tone: failed > 0 ? 'bad' : 'neutral',
  };
}

/** Audit entries (newest first, as the API lists them) and observed steps, newest first. */
export function buildTimeline(
  audit: readonly AuditEntry[],
  observed: readonly ObservedStep[],
): TimelineEntry[] {
  const entries = [...audit.map(describeAuditEntry), ...observed.map(describeStep)];
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** The newest rollback in the log, with the checks that decided it. */
export function findLastRollback(audit: readonly AuditEntry[]): TimelineEntry | undefined {
  const entry = audit.find((e) => e.action === 'deployment.rollback');
  return entry && describeAuditEntry(entry);
}

/**
 * Every analysis seen, oldest first: the steps observed while polling, and the analyses that
 * decided a rollback (kept in the audit log, so they are there even for a page opened later).
 */
export function analysisHistory(
  audit: readonly AuditEntry[],
  observed: readonly ObservedStep[],
): Array<{ at: string; checks: AnalysisCheck[] }> {
  const rollbacks = audit
    .filter((entry) => entry.action === 'deployment.rollback')
    .map((entry) => ({ at: entry.at, checks: readChecks(fieldsOf(entry.after).checks) }));
  return [...observed.map(({ at, checks }) => ({ at, checks })), ...rollbacks]
    .filter((point) => point.checks.length > 0)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
