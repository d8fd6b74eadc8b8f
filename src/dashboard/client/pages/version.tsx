import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiGet } from '../api/http.js';
import type {
  Deployment,
  ModelCheck,
  ModelVersionDetail,
  Page as ApiPage,
  RunDetail,
} from '../api/types.js';
import { Dag } from '../components/dag.js';
import { ErrorBox, Loading, Page } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import { readEvaluation, readValidation } from '../model/evaluation.js';
import { formatBytes, formatNumber, formatTime, shortDigest, shortSha } from '../model/format.js';
import { flattenParams } from '../model/compare.js';
import { buildLineageGraph } from '../model/lineage-graph.js';
import { hrefs } from '../router.js';
import { Evaluation, GateVerdicts } from './evaluation.js';

/** At most this many runs are read to name the stages and files of a lineage. */
const MAX_LINEAGE_RUNS = 5;

/** A model version: evaluation, fairness, importance, gate verdicts, and its lineage. */
export function VersionPage({ name, version }: { name: string; version: string }) {
  const path = `models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
  const detail = useApi<ModelVersionDetail>(path);
  const evaluations = useApi<ApiPage<ModelCheck>>(`${path}/checks`, {
    kind: 'evaluation',
    limit: 1,
  });
  const validations = useApi<ApiPage<ModelCheck>>(`${path}/checks`, {
    kind: 'validation',
    limit: 1,
  });
  const deployments = useApi<ApiPage<Deployment>>('deployments', { model: name, limit: 100 });
  const runs = useLineageRuns(detail.data);
  const verdicts = readValidation(validations.data?.items[0]);
  const evaluation = readEvaluation(evaluations.data?.items[0]) ?? verdicts?.candidate ?? null;
  const data = detail.data;
  const graph = useMemo(
    () =>
      data &&
      buildLineageGraph({
        version: data,
        edges: data.lineage,
        runs,
        deployments: deployments.data?.items ?? [],
      }),
    [data, runs, deployments.data],
  );
  return (
    <Page
      name="version"
      title={`${name}@${data?.version ?? version}`}
      ready={data !== undefined || detail.error !== undefined}
    >
      <ErrorBox error={detail.error} what={`version ${version} of ${name}`} />
      {data === undefined ? (
        detail.error ? null : (
          <Loading what="the version" />
        )
      ) : (
        <>
          <Facts data={data} deployments={deployments.data?.items ?? []} />
          <section class="panel" aria-labelledby="lineage-title" data-testid="lineage">
            <h2 id="lineage-title">Lineage: from commit and data to where it serves</h2>
            {graph && graph.nodes.length > 1 ? (
              <Dag graph={graph} label={`Lineage of ${name}@${data.version}`} />
            ) : (
              <p class="muted">No lineage recorded for this artifact.</p>
            )}
          </section>
          <ErrorBox error={validations.error} what="the gate verdicts" />
          {validations.data ? <GateVerdicts verdicts={verdicts} model={name} /> : null}
          <ErrorBox error={evaluations.error} what="the evaluation" />
          {evaluation ? (
            <Evaluation result={evaluation} />
          ) : evaluations.data ? (
            <p class="muted">Not evaluated yet (weft evaluate).</p>
          ) : null}
          <RegisteredMetrics data={data} />
        </>
      )}
    </Page>
  );
}

/** The runs a lineage passes through, read to name its stages and files. */
function useLineageRuns(detail: ModelVersionDetail | undefined): RunDetail[] {
  const [runs, setRuns] = useState<RunDetail[]>([]);
  const ids = useMemo(() => {
    const found = new Set<number>();
    if (detail) found.add(detail.runId);
    for (const edge of detail?.lineage ?? [])
      for (const node of [edge.from, edge.to]) if (node.kind === 'run') found.add(Number(node.id));
    return [...found].slice(0, MAX_LINEAGE_RUNS);
  }, [detail]);
  const key = ids.join(',');
  useEffect(() => {
    let current = true;
    // A run that cannot be read leaves its nodes named by id: the graph still stands.
    void Promise.all(ids.map((id) => apiGet<RunDetail>(`runs/${id}`).catch(() => null))).then(
      (loaded) => {
        if (current) setRuns(loaded.filter((run): run is RunDetail => run !== null));
      },
    );
    return () => {
      current = false;
    };
  }, [key]);
  return runs;
}

function Facts({ data, deployments }: { data: ModelVersionDetail; deployments: Deployment[] }) {
  const version = String(data.version);
  const serving = deployments.filter((d) => d.served?.version === version);
  const canary = deployments.filter((d) => d.rollout?.canary.version === version);
  return (
    <dl class="facts">
      <dt>Digest</dt>
      <dd>
        <code title={data.digest}>{shortDigest(data.digest)}</code> ({formatBytes(data.size)},{' '}
        {data.artifactPath})
      </dd>
      <dt>Built from</dt>
      <dd>
        commit{' '}
        {data.commit ? (
          <a href={hrefs.runs({ commit: data.commit })}>{shortSha(data.commit)}</a>
        ) : (
          '—'
        )}
        , stage {data.stage} of <a href={hrefs.run(data.runId)}>run #{data.runId}</a>
      </dd>
      <dt>Registered</dt>
      <dd>{formatTime(data.createdAt)}</dd>
      <dt>Aliases</dt>
      <dd>{data.aliases.join(', ') || '—'}</dd>
      <dt>Served by</dt>
      <dd data-testid="served-by">
        {serving.length + canary.length === 0
          ? 'no deployment now'
          : [
              ...serving.map((d) => ({ d, role: 'serves it' })),
              ...canary.map((d) => ({ d, role: 'canary' })),
            ].map(({ d, role }) => (
              <span key={`${d.name}-${role}`}>
                <a href={hrefs.deployment(d.name)}>{d.name}</a> ({role}){' '}
              </span>
            ))}
      </dd>
      <dt>Trained on</dt>
      <dd>
        {data.dataDigests.map((a) => (
          <span key={a.digest} class="tag">
            {a.path} <code>{shortDigest(a.digest)}</code>
          </span>
        ))}
      </dd>
    </dl>
  );
}

function RegisteredMetrics({ data }: { data: ModelVersionDetail }) {
  const params = flattenParams(data.params);
  return (
    <section class="panel" aria-labelledby="registered-title">
      <h2 id="registered-title">Metrics and params recorded by the pipeline</h2>
      <div class="side-by-side">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {data.metrics.map((m) => (
              <tr key={`${m.file}/${m.key}`}>
                <th scope="row">{m.key}</th>
                <td class="num">{formatNumber(m.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Param</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {params.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
