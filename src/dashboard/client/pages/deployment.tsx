import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiRequestError, apiSend } from '../api/http.js';
import type { AuditEntry, DeploymentDetail, Drift, Page as ApiPage } from '../api/types.js';
import { ErrorBox, LiveIndicator, Loading, Page, SyncBadge } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import { describeRevision, formatTime, NONE, parseRevision, shortDigest } from '../model/format.js';
import { appendSample, type LiveSample } from '../model/live-series.js';
import { describeSync } from '../model/sync-status.js';
import {
  analysisHistory,
  buildTimeline,
  observeRollout,
  type ObservedStep,
} from '../model/timeline.js';
import { hrefs } from '../router.js';
import { CheckCharts, LiveMetrics } from './deployment-live.js';
import { RollbackReason, RolloutInProgress, Timeline } from './deployment-rollout.js';

const LIVE_MS = 1500;
const IDLE_MS = 5000;
const DRIFT_MS = 2000;
const WINDOW_MS = 60_000;
/** Answers that will not change by asking again: no live server, nothing served yet. */
const FINAL_STATUSES = new Set([404, 409, 503]);

export function DeploymentPage({ name }: { name: string }) {
  const path = `deployments/${encodeURIComponent(name)}`;
  const [pollMs, setPollMs] = useState(IDLE_MS);
  const detail = useApi<DeploymentDetail>(path, {}, { pollMs });
  const audit = useApi<ApiPage<AuditEntry>>(
    'audit',
    { objectKind: 'ModelDeployment', objectName: name, limit: 50 },
    { pollMs },
  );
  const [driftFailed, setDriftFailed] = useState(false);
  const drift = useApi<Drift>(
    detail.data?.served ? `${path}/drift` : null,
    {},
    {
      pollMs: driftFailed ? null : DRIFT_MS,
      queryAtCall: () => ({ from: Date.now() - WINDOW_MS }),
    },
  );
  const [samples, setSamples] = useState<readonly LiveSample[]>([]);
  const [observed, setObserved] = useState<readonly ObservedStep[]>([]);

  const sync = detail.data && describeSync(detail.data);
  const progressing = sync?.state === 'progressing';
  useEffect(() => setPollMs(progressing ? LIVE_MS : IDLE_MS), [progressing]);
  useEffect(() => {
    if (detail.data)
      setObserved((previous) =>
        observeRollout(previous, detail.data as DeploymentDetail, new Date()),
      );
  }, [detail.data]);
  useEffect(() => {
    if (drift.data)
      setSamples((previous) => appendSample(previous, drift.data as Drift, new Date()));
  }, [drift.data]);
  useEffect(() => {
    if (drift.error && FINAL_STATUSES.has(drift.error.status)) setDriftFailed(true);
  }, [drift.error]);
  const timeline = useMemo(
    () => buildTimeline(audit.data?.items ?? [], observed),
    [audit.data, observed],
  );
  const analyses = useMemo(
    () => analysisHistory(audit.data?.items ?? [], observed),
    [audit.data, observed],
  );

  const data = detail.data;
  return (
    <Page
      name="deployment"
      title={`Deployment ${name}`}
      ready={data !== undefined || detail.error !== undefined}
      actions={
        <>
          {sync ? <SyncBadge sync={sync} /> : null}
          <LiveIndicator live={progressing} everyMs={LIVE_MS} />
          <ReconcileButton name={name} />
        </>
      }
    >
      <ErrorBox error={detail.error} what={`deployment ${name}`} />
      {data === undefined || sync === undefined ? (
        detail.error ? null : (
          <Loading what="the deployment" />
        )
      ) : (
        <>
          <p class="sync-detail" data-testid="sync-detail">
            {sync.detail}
          </p>
          <RollbackReason detail={data} audit={audit.data?.items ?? []} sync={sync} />
          <Serving detail={data} />
          <RolloutInProgress detail={data} />
          <Timeline entries={timeline} />
          <CheckCharts observed={observed} history={analyses} />
          {driftFailed && drift.error ? (
            <p class="muted">Live metrics are not available here: {drift.error.message}.</p>
          ) : (
            <LiveMetrics samples={samples} latest={drift.data} />
          )}
          <History detail={data} />
          <Conditions detail={data} />
        </>
      )}
      <ErrorBox error={audit.error} what="the audit log of this deployment" />
    </Page>
  );
}

function Serving({ detail }: { detail: DeploymentDetail }) {
  const served = detail.served;
  const weights = detail.live?.traffic.weights ?? [];
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  const roleOf = (version: string) =>
    detail.rollout?.canary.version === version
      ? 'canary'
      : detail.rollout?.primary.version === version || served?.version === version
        ? 'primary'
        : 'other';
  return (
    <section class="panel" aria-labelledby="serving-title">
      <h2 id="serving-title">Serving</h2>
      <dl class="facts">
        <dt>Model version</dt>
        <dd data-testid="served-version">
          {served ? (
            <a href={hrefs.version(served.model, served.version)}>
              {served.model}@{served.version}
            </a>
          ) : (
            'nothing yet'
          )}
          {served ? <span class="muted"> ({shortDigest(served.digest)})</span> : null}
        </dd>
        <dt>Last revision applied</dt>
        <dd>{describeRevision(detail.lastAppliedRevision)}</dd>
        <dt>Last revision seen</dt>
        <dd>{describeRevision(detail.lastAttemptedRevision)}</dd>
        <dt>Status written</dt>
        <dd>{formatTime(detail.updatedAt)}</dd>
      </dl>
      {detail.live === null ? (
        <p class="muted">This server reads no live traffic (no model server attached).</p>
      ) : (
        <table class="data" data-testid="weights">
          <caption>Loaded versions and their share of traffic</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Role</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {detail.live.versions.map((version) => {
              const weight = weights.find((w) => w.version === version)?.weight ?? 0;
              return (
                <tr key={version} data-version={version}>
                  <th scope="row">{version}</th>
                  <td>{roleOf(version)}</td>
                  <td class="num">
                    {total > 0 ? `${Math.round((weight / total) * 1000) / 10}%` : NONE}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Applied revisions with their commits; two neighbours can be compared run against run. */
function History({ detail }: { detail: DeploymentDetail }) {
  const model = detail.served?.model;
  return (
    <section class="panel" aria-labelledby="history-title">
      <h2 id="history-title">Applied revisions</h2>
      {detail.history.length === 0 ? <p class="muted">None yet.</p> : null}
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Applied</th>
            <th scope="col">Revision</th>
            <th scope="col">Version</th>
            <th scope="col">Digest</th>
            <th scope="col">Compare</th>
          </tr>
        </thead>
        <tbody>
          {detail.history.map((entry, i) => {
            const commit = parseRevision(entry.revision)?.sha;
            const previous = parseRevision(detail.history[i + 1]?.revision)?.sha;
            return (
              <tr key={`${entry.revision}-${entry.appliedAt}`}>
                <td>{formatTime(entry.appliedAt)}</td>
                <td>
                  {commit ? (
                    <a href={hrefs.runs({ commit })}>{describeRevision(entry.revision)}</a>
                  ) : (
                    entry.revision
                  )}
                </td>
                <td>
                  {model ? (
                    <a href={hrefs.version(model, entry.version)}>{entry.version}</a>
                  ) : (
                    entry.version
                  )}
                </td>
                <td>
                  <code>{shortDigest(entry.digest)}</code>
                </td>
                <td>
                  {commit && previous && previous !== commit ? (
                    <a href={hrefs.compareCommits([previous, commit])}>with the one before</a>
                  ) : (
                    NONE
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Conditions({ detail }: { detail: DeploymentDetail }) {
  return (
    <section class="panel" aria-labelledby="conditions-title">
      <h2 id="conditions-title">Conditions</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Message</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {detail.conditions.map((c) => (
            <tr key={c.type}>
              <th scope="row">{c.type}</th>
              <td>{c.status}</td>
              <td>{c.reason}</td>
              <td>{c.message}</td>
              <td>{formatTime(c.lastTransitionTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Asks the controller for a pass now (deploy scope; a weft dashboard without one says 503). */
function ReconcileButton({ name }: { name: string }) {
  const [state, setState] = useState<{ busy: boolean; error?: ApiRequestError; done?: boolean }>({
    busy: false,
  });
  const run = () => {
    setState({ busy: true });
    apiSend('POST', `deployments/${encodeURIComponent(name)}/reconcile`).then(
      () => setState({ busy: false, done: true }),
      (error: unknown) =>
        setState({
          busy: false,
          error: error instanceof ApiRequestError ? error : new ApiRequestError(0, String(error)),
        }),
    );
  };
  return (
    <span class="reconcile">
      <button type="button" onClick={run} disabled={state.busy}>
        Reconcile now
      </button>
      {state.done ? <span class="small"> requested</span> : null}
      <ErrorBox error={state.error} what="a reconcile" />
    </span>
  );
}
