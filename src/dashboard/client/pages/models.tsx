import type { Deployment, ModelSummary, ModelVersion, Page as ApiPage } from '../api/types.js';
import { ErrorBox, Loading, Page, Pager } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import { usePagedList } from '../hooks/use-pages.js';
import { formatBytes, formatNumber, formatTime, shortDigest, shortSha } from '../model/format.js';
import { hrefs } from '../router.js';

export function ModelsPage() {
  const list = usePagedList<ModelSummary>('models', {});
  return (
    <Page name="models" title="Models" ready={list.items !== undefined || list.error !== undefined}>
      <ErrorBox error={list.error} what="the models" />
      {list.items === undefined ? (
        list.error ? null : (
          <Loading what="models" />
        )
      ) : list.items.length === 0 ? (
        <p class="muted">No model registered yet.</p>
      ) : (
        <table class="data" data-testid="models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Latest version</th>
              <th scope="col">Versions</th>
              <th scope="col">Aliases</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((model) => (
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
            ))}
          </tbody>
        </table>
      )}
      <Pager {...list} count={list.items?.length} />
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
    <Page
      name="model"
      title={`Model ${name}`}
      ready={list.items !== undefined || list.error !== undefined}
    >
      <ErrorBox error={list.error} what={`the versions of ${name}`} />
      {list.items === undefined ? (
        list.error ? null : (
          <Loading what="versions" />
        )
      ) : (
        <table class="data" data-testid="versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Aliases</th>
              <th scope="col">Served by</th>
              <th scope="col">Metrics</th>
              <th scope="col">Commit</th>
              <th scope="col">Digest</th>
              <th scope="col">Size</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((v) => (
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
            ))}
          </tbody>
        </table>
      )}
      <Pager {...list} count={list.items?.length} />
    </Page>
  );
}
