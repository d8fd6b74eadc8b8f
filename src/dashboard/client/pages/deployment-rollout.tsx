import type { AuditEntry, DeploymentDetail } from '../api/types.js';
import { ChecksTable } from '../components/checks-table.js';
import { describeCheck } from '../model/checks.js';
import { describeRevision, formatTime } from '../model/format.js';
import type { SyncStatus } from '../model/sync-status.js';
import { findLastRollback, type TimelineEntry } from '../model/timeline.js';
import { hrefs } from '../router.js';

/**
 * Why a rollout was rolled back, without reading a log: the failing checks with their numbers,
 * from the audit entry the controller wrote when it rolled back.
 */
export function RollbackReason(props: {
  detail: DeploymentDetail;
  audit: readonly AuditEntry[];
  sync: SyncStatus;
}) {
  const { detail, sync } = props;
  if (sync.state !== 'rolled-back' && detail.rolledBack === null) return null;
  const rollback = findLastRollback(props.audit);
  const failing = rollback?.checks.filter((c) => !c.passed) ?? [];
  const revert = detail.rolledBack?.revert;
  return (
    <section class="panel rollback" data-testid="rollback" aria-labelledby="rollback-title">
      <h2 id="rollback-title">
        ✗ Rolled back{detail.rolledBack ? `: version ${detail.rolledBack.version}` : ''}
      </h2>
      {detail.rolledBack ? (
        <p>
          At {formatTime(detail.rolledBack.at)}, revision{' '}
          {describeRevision(detail.rolledBack.revision)}.{' '}
          {detail.served ? (
            <>
              <a href={hrefs.version(detail.served.model, detail.served.version)}>
                {detail.served.model}@{detail.served.version}
              </a>{' '}
              serves instead; its page has its evaluation and lineage.
            </>
          ) : null}
        </p>
      ) : null}
      {failing.length > 0 ? (
        <p class="why" data-testid="rollback-why">
          Why: {failing.map(describeCheck).join('; ')}.
        </p>
      ) : (
        <p>{sync.detail}</p>
      )}
      {rollback ? (
        <ChecksTable checks={rollback.checks} caption="The analysis that decided it" />
      ) : null}
      {revert && 'branch' in revert ? (
        <p>
          A revert was pushed to Git on branch <code>{revert.branch}</code> (commit{' '}
          <code>{revert.commit.slice(0, 10)}</code>): merge it so Git stops asking for the rolled
          back version.
        </p>
      ) : revert && 'error' in revert ? (
        <p>The revert could not be proposed in Git: {revert.error}</p>
      ) : null}
    </section>
  );
}

/** The canary in progress: its step, failures so far and its last analysis. */
export function RolloutInProgress({ detail }: { detail: DeploymentDetail }) {
  const rollout = detail.rollout;
  if (rollout === null) return null;
  return (
    <section class="panel" data-testid="rollout" aria-labelledby="rollout-title">
      <h2 id="rollout-title">
        Rollout in progress: version {rollout.primary.version} → {rollout.canary.version}
      </h2>
      <dl class="facts">
        <dt>Step</dt>
        <dd data-testid="rollout-step">{rollout.step + 1}</dd>
        <dt>Failed analyses</dt>
        <dd>{rollout.failedChecks}</dd>
        <dt>Started</dt>
        <dd>{formatTime(rollout.startedAt ?? rollout.stepStartedAt)}</dd>
        <dt>This step since</dt>
        <dd>{formatTime(rollout.stepStartedAt)}</dd>
        <dt>Revision</dt>
        <dd>{describeRevision(rollout.revision)}</dd>
      </dl>
      <ChecksTable checks={rollout.lastChecks} caption="Last analysis of the canary" />
    </section>
  );
}

/** Weight steps, analyses, promotion or rollback, newest first. */
export function Timeline({ entries }: { entries: readonly TimelineEntry[] }) {
  return (
    <section class="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Rollout timeline</h2>
      {entries.length === 0 ? <p class="muted">Nothing recorded yet.</p> : null}
      <ol class="timeline" data-testid="timeline">
        {entries.map((entry) => (
          <li key={entry.key} class={`tone-${entry.tone}`} data-kind={entry.kind}>
            <div>
              <time>{formatTime(entry.at)}</time> <strong>{entry.title}</strong>
              {entry.detail ? ` — ${entry.detail}` : ''}
            </div>
            <div class="small muted">
              by {entry.actor}
              {entry.revision ? ` · ${describeRevision(entry.revision)}` : ''}
            </div>
            {entry.checks.length > 0 ? (
              <ul class="check-list">
                {entry.checks.map((check) => (
                  <li key={check.name} class={check.passed ? 'good' : 'bad'}>
                    {check.passed ? '✓' : '✗'} {describeCheck(check)}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
