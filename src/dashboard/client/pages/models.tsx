import type { Deployment, ModelSummary, ModelVersion, Page as ApiPage } from '../api/types.js';
import { PagedTable } from '../components/paged-table.js';
import { Page } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import { usePagedList } from '../hooks/use-pages.js';
import { formatBytes, formatNumber, formatTime, shortDigest, shortSha } from '../model/format.js';
import { hasAnswered } from '../model/list-view.js';
import { hrefs } from '../router.js';

export function ModelsPage() {
  const list = usePagedList<ModelSummary>('models', {});
  return (
    <Page name="models" title="Models" ready={hasAnswered(list)}>
      <PagedTable
        list={list}
        what="the models"
        loadingWhat="models"
        empty="No model registered yet."
        testId="models"
        columns={['Model', 'Latest version', 'Versions', 'Aliases']}
        row={(model) => (
          <tr key={model.name}>
            <th scope="row">
              <a href={hrefs.model(model.name)}>{model.name}</a>
            </th>
            <td>
              <a href={hrefs.version(model.name, model.latestVersion)}>{model.latestVersion}</a>
            </td>
            <td class="num">{model.versionCount}</td>
            <td>
              {Object.entries(model.aliases).map(([alias, version]) => (
                <span class="tag" key={alias}>
                  {alias} → <a href={hrefs.version(model.name, version)}>{version}</a>
                </span>
              ))}
            </td>
          </tr>
        )}
      />
    </Page>
  );
}

/** A model's versions, newest first, and the deployments serving it. */
export function ModelPage({ name }: { name: string }) {
  const path = `models/${encodeURIComponent(name)}/versions`;
  const list = usePagedList<ModelVersion>(path, {});
  const deployments = useApi<ApiPage<Deployment>>('deployments', { model: name, limit: 50 });
  const served = new Map<string, string[]>();
  for (const d of deployments.data?.items ?? []) {
    if (d.served) served.set(d.served.version, [...(served.get(d.served.version) ?? []), d.name]);
  }
  return (
    <Page name="model" title={`Model ${name}`} ready={hasAnswered(list)}>
      <PagedTable
        list={list}
        what={`the versions of ${name}`}
        loadingWhat="versions"
        testId="versions"
        columns={[
          'Version',
          'Aliases',
          'Served by',
          'Metrics',
          'Commit',
          'Digest',
          'Size',
          'Registered',
        ]}
        row={(v) => (
          <tr key={v.version}>
            <th scope="row">
              <a href={hrefs.version(name, v.version)}>{v.version}</a>
            </th>
            <td>{v.aliases.join(', ') || '—'}</td>
            <td>
              {(served.get(String(v.version)) ?? []).map((d) => (
                <a key={d} href={hrefs.deployment(d)}>
                  {d}{' '}
                </a>
              ))}
            </td>
            <td class="small">
              {v.metrics
                .slice(0, 3)
                .map((m) => `${m.key} ${formatNumber(m.value)}`)
                .join(', ')}
            </td>
            <td>
              <code>{shortSha(v.commit)}</code>
            </td>
            <td>
              <code>{shortDigest(v.digest)}</code>
            </td>
            <td class="num">{formatBytes(v.size)}</td>
            <td>{formatTime(v.createdAt)}</td>
          </tr>
        )}
      />
    </Page>
  );
}
