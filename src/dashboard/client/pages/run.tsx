import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiRequestError, apiGetText } from '../api/http.js';
import type { MetricValue, Page as ApiPage, Run, RunDetail, StageExecution } from '../api/types.js';
import { Dag } from '../components/dag.js';
import { ErrorBox, Loading, Page } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import {
  formatBytes,
  formatDuration,
  formatNumber,
  formatTime,
  shortDigest,
  shortSha,
} from '../model/format.js';
import { flattenParams } from '../model/compare.js';
import { buildStageGraph, describeOutcome, latestExecutions } from '../model/stage-graph.js';
import { hrefs } from '../router.js';

const LOG_BYTES = 64 * 1024;

/** A run: its stage graph, each stage's outcome, log, params and metrics. */
export function RunPage({ id }: { id: number }) {
  const run = useApi<RunDetail>(`runs/${id}`, {}, { pollMs: null });
  const metrics = useApi<ApiPage<MetricValue>>(`runs/${id}/metrics`, { limit: 500 });
  const pipeline = run.data?.pipeline;
  const previous = useApi<ApiPage<Run>>(pipeline ? 'runs' : null, {
    pipeline,
    before: id,
    limit: 1,
  });
  const graph = useMemo(() => buildStageGraph(run.data?.stages ?? []), [run.data]);
  const data = run.data;
  const before = previous.data?.items[0];
  return (
    <Page
      name="run"
      title={`Run #${id}`}
      ready={data !== undefined || run.error !== undefined}
      actions={
        before ? (
          <a class="button" href={hrefs.compareRuns([before.id, id])}>
            Compare with run #{before.id}
          </a>
        ) : null
      }
    >
      <ErrorBox error={run.error} what={`run ${id}`} />
      {data === undefined ? (
        run.error ? null : (
          <Loading what="the run" />
        )
      ) : (
        <>
          <dl class="facts">
            <dt>Pipeline</dt>
            <dd>{data.pipeline}</dd>
            <dt>Status</dt>
            <dd class={`status-${data.status}`}>{data.status}</dd>
            <dt>Commit</dt>
            <dd>
              {data.commit ? (
                <a href={hrefs.runs({ commit: data.commit })}>{shortSha(data.commit)}</a>
              ) : (
                '—'
              )}
              {data.dirty ? ' (uncommitted changes)' : ''} on {data.branch ?? 'no branch'}
            </dd>
            <dt>Author</dt>
            <dd>{data.author ?? '—'}</dd>
            <dt>Started</dt>
            <dd>{formatTime(data.startedAt)}</dd>
            <dt>Took</dt>
            <dd>
              {data.finishedAt
                ? formatDuration(Date.parse(data.finishedAt) - Date.parse(data.startedAt))
                : 'still running'}
            </dd>
          </dl>
          <section class="panel" data-testid="stage-graph">
            <Dag
              graph={graph}
              label={`Stages of run #${id}: an arrow means the stage used what the other wrote`}
            />
          </section>
          <Stages runId={id} stages={latestExecutions(data.stages)} />
          <Params stages={latestExecutions(data.stages)} />
          <Metrics metrics={metrics.data?.items} error={metrics.error} />
        </>
      )}
    </Page>
  );
}

function Stages({ runId, stages }: { runId: number; stages: StageExecution[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section class="panel" aria-labelledby="stages-title">
      <h2 id="stages-title">Stages</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Outcome</th>
            <th scope="col">Why</th>
            <th scope="col">Took</th>
            <th scope="col">Exit</th>
            <th scope="col">Outputs</th>
            <th scope="col">Log</th>
          </tr>
        </thead>
        <tbody>
          {stages.map((s) => (
            <tr key={s.stage} data-stage={s.stage}>
              <th scope="row">{s.stage}</th>
              <td class={`outcome-${s.outcome}`}>{describeOutcome(s.outcome).word}</td>
              <td class="small">{s.reasons.join('; ') || '—'}</td>
              <td class="num">{formatDuration(s.durationMs)}</td>
              <td class="num">{s.exitCode ?? '—'}</td>
              <td class="small">
                {s.outs.map((o) => (
                  <div key={o.path}>
                    {o.path}{' '}
                    <span class="muted">
                      ({formatBytes(o.size)}, {shortDigest(o.digest)})
                    </span>
                  </div>
                ))}
              </td>
              <td>
                {s.logDigest ? (
                  <button
                    type="button"
                    onClick={() => setOpen(open === s.stage ? null : s.stage)}
                    aria-expanded={open === s.stage}
                  >
                    {open === s.stage ? 'Hide log' : 'Show log'}
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? <StageLog runId={runId} stage={open} /> : null}
    </section>
  );
}

function StageLog({ runId, stage }: { runId: number; stage: string }) {
  const [log, setLog] = useState<{ text: string; truncated: boolean; size: number }>();
  const [error, setError] = useState<ApiRequestError>();
  useEffect(() => {
    let current = true;
    setLog(undefined);
    setError(undefined);
    apiGetText(`runs/${runId}/stages/${encodeURIComponent(stage)}/log`, {
      maxBytes: LOG_BYTES,
    }).then(
      (answer) => current && setLog(answer),
      (failure: unknown) =>
        current &&
        setError(
          failure instanceof ApiRequestError ? failure : new ApiRequestError(0, String(failure)),
        ),
    );
    return () => {
      current = false;
    };
  }, [runId, stage]);
  return (
    <section class="log" aria-label={`log of stage ${stage}`}>
      <h3>Log of {stage}</h3>
      <ErrorBox error={error} what="the log" />
      {log?.truncated ? (
        <p class="muted">
          The last {formatBytes(LOG_BYTES)} of {formatBytes(log.size)}.
        </p>
      ) : null}
      {log ? <pre>{log.text || '(empty)'}</pre> : error ? null : <Loading what="the log" />}
    </section>
  );
}

function Params({ stages }: { stages: StageExecution[] }) {
  const rows = stages.flatMap((s) =>
    flattenParams(s.params).map(([key, value]) => ({ stage: s.stage, key, value })),
  );
  return (
    <section class="panel" aria-labelledby="params-title">
      <h2 id="params-title">Params</h2>
      {rows.length === 0 ? (
        <p class="muted">No stage of this run reads params.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Param</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.stage}/${row.key}`}>
                <td>{row.stage}</td>
                <th scope="row">{row.key}</th>
                <td>
                  <code>{row.value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Metrics({
  metrics,
  error,
}: {
  metrics: MetricValue[] | undefined;
  error: ApiRequestError | undefined;
}) {
  return (
    <section class="panel" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <ErrorBox error={error} what="the metrics" />
      {metrics === undefined ? null : metrics.length === 0 ? (
        <p class="muted">This run recorded no metrics.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {metrics.map((m) => (
              <tr key={`${m.file}/${m.key}`}>
                <td>{m.file}</td>
                <th scope="row">{m.key}</th>
                <td class="num">{formatNumber(m.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
