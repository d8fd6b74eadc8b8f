import { useEffect, useState } from 'preact/hooks';
import type { Deployment, DeploymentDetail, Page as ApiPage } from '../api/types.js';
import { PagedTable } from '../components/paged-table.js';
import { ErrorBox, LiveIndicator, Page, SyncBadge } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import { usePagedList } from '../hooks/use-pages.js';
import { describeRevision, formatTime } from '../model/format.js';
import { hasAnswered } from '../model/list-view.js';
import { describeSync } from '../model/sync-status.js';
import { hrefs } from '../router.js';

const LIVE_MS = 1500;
const IDLE_MS = 5000;

const FILTERS: Record<string, { label: string; query: Record<string, string> }> = {
  all: { label: 'all', query: {} },
  progressing: { label: 'progressing', query: { condition: 'Reconciling' } },
  rolledBack: { label: 'rolled back', query: { condition: 'RolloutFailed' } },
  drifted: { label: 'drifted', query: { condition: 'Drifted' } },
  notReady: { label: 'not ready', query: { ready: 'False' } },
};

/** Every deployment against Git: sync status, what serves at which weight, the last revision. */
export function OverviewPage() {
  const [filter, setFilter] = useState('all');
  const query = FILTERS[filter]?.query ?? {};
  const [pollMs, setPollMs] = useState(IDLE_MS);
  const list = usePagedList<Deployment>('deployments', query, { pollMs });
  const progressing = list.items?.some((d) => describeSync(d).state === 'progressing') ?? false;
  const wanted = progressing ? LIVE_MS : IDLE_MS;
  useEffect(() => setPollMs(wanted), [wanted]);
  return (
    <Page
      name="overview"
      title="Deployments"
      ready={hasAnswered(list)}
      actions={<LiveIndicator live={progressing} everyMs={LIVE_MS} />}
    >
      <div class="toolbar">
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value)}>
            {Object.entries(FILTERS).map(([key, f]) => (
              <option key={key} value={key}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTable
        list={list}
        what="the deployments"
        loadingWhat="deployments"
        empty={`No deployments${
          filter === 'all'
            ? ' yet: the controller writes one per deploy/*.yaml it reconciles'
            : ' match'
        }.`}
        testId="deployments"
        caption="Deployments and their status against Git"
        columns={[
          'Deployment',
          'Status',
          'Serving',
          'Versions and weights',
          'Last revision applied',
          'Updated',
        ]}
        row={(deployment) => <DeploymentRow key={deployment.name} deployment={deployment} />}
      />
      <RecentEvents pollMs={pollMs} />
    </Page>
  );
}

function DeploymentRow({ deployment }: { deployment: Deployment }) {
  const sync = describeSync(deployment);
  const served = deployment.served;
  const applied = deployment.history[0];
  return (
    <tr data-deployment={deployment.name}>
      <th scope="row">
        <a href={hrefs.deployment(deployment.name)}>{deployment.name}</a>
      </th>
      <td>
        <SyncBadge sync={sync} />
        <div class="small muted">{sync.detail}</div>
      </td>
      <td>
        {served ? (
          <a href={hrefs.version(served.model, served.version)}>
            {served.model}@{served.version}
          </a>
        ) : (
          '—'
        )}
      </td>
      <td>
        {sync.state === 'progressing' ? (
          <LiveWeights name={deployment.name} />
        ) : served ? (
          `v${served.version} 100%`
        ) : (
          '—'
        )}
      </td>
      <td>
        {describeRevision(deployment.lastAppliedRevision)}
        {applied ? <div class="small muted">{formatTime(applied.appliedAt)}</div> : null}
      </td>
      <td>{formatTime(deployment.updatedAt)}</td>
    </tr>
  );
}

/** Weights come from the live server, read for the few deployments that are rolling out. */
function LiveWeights({ name }: { name: string }) {
  const detail = useApi<DeploymentDetail>(
    `deployments/${encodeURIComponent(name)}`,
    {},
    { pollMs: LIVE_MS },
  );
  return <>{describeWeights(detail.data)}</>;
}

export function describeWeights(detail: DeploymentDetail | undefined): string {
  if (!detail) return '…';
  const weights = detail.live?.traffic.weights ?? [];
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  if (total <= 0) {
    const rollout = detail.rollout;
    return rollout
      ? `${rollout.primary.version} → ${rollout.canary.version} (step ${rollout.step + 1})`
      : '—';
  }
  const role = (version: string) => (detail.rollout?.canary.version === version ? ' (canary)' : '');
  return weights
    .map((w) => `v${w.version} ${Math.round((w.weight / total) * 1000) / 10}%${role(w.version)}`)
    .join(', ');
}

interface EventItem {
  id: string;
  at: string;
  type: string;
  object: { kind: string; name: string };
  actor: string;
  message: string;
}

function RecentEvents({ pollMs }: { pollMs: number }) {
  const events = useApi<ApiPage<EventItem>>('events', { limit: 8 }, { pollMs });
  return (
    <section class="panel">
      <h2>Recent events</h2>
      <ErrorBox error={events.error} what="events" />
      {events.data?.items.length === 0 ? <p class="muted">Nothing happened yet.</p> : null}
      <ol class="events">
        {events.data?.items.map((event) => (
          <li key={event.id}>
            <time>{formatTime(event.at)}</time> <code>{event.type}</code>{' '}
            {event.object.kind === 'ModelDeployment' ? (
              <a href={hrefs.deployment(event.object.name)}>{event.object.name}</a>
            ) : (
              `${event.object.kind}/${event.object.name}`
            )}{' '}
            by {event.actor}
          </li>
        ))}
      </ol>
      <a href={hrefs.audit()}>The whole audit log →</a>
    </section>
  );
}
