import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiRequestError, apiGet } from '../api/http.js';
import type { MetricValue, Page as ApiPage, Run, RunDetail } from '../api/types.js';
import { Chart } from '../components/chart.js';
import { ErrorBox, Loading, Page } from '../components/ui.js';
import {
  compareMetrics,
  compareParams,
  describeDelta,
  type CompareRow,
  type CompareRun,
} from '../model/compare.js';
import { formatNumber, formatTime, shortSha } from '../model/format.js';
import { hrefs } from '../router.js';

const MAX_CHARTS = 12;

async function loadRuns(
  runIds: readonly number[],
  commits: readonly string[],
): Promise<CompareRun[]> {
  const fromCommits = await Promise.all(
    commits.map(async (sha) => {
      const page = await apiGet<ApiPage<Run>>('runs', { commit: sha, limit: 1 });
      const run = page.items[0];
      if (!run) throw new ApiRequestError(404, `no run of commit ${sha.slice(0, 10)}`);
      return run.id;
    }),
  );
  return Promise.all(
    [...runIds, ...fromCommits].map(async (id) => {
      const [run, metrics] = await Promise.all([
        apiGet<RunDetail>(`runs/${id}`),
        apiGet<ApiPage<MetricValue>>(`runs/${id}/metrics`, { limit: 500 }),
      ]);
      return { run, metrics: metrics.items };
    }),
  );
}

/** Two or more runs (or the newest run of each of two or more commits) side by side. */
export function ComparePage({ runs, commits }: { runs: number[]; commits: string[] }) {
  const [state, setState] = useState<{ runs?: CompareRun[]; error?: ApiRequestError }>({});
  const key = JSON.stringify([runs, commits]);
  useEffect(() => {
    let current = true;
    setState({});
    loadRuns(runs, commits).then(
      (loaded) => current && setState({ runs: loaded }),
      (error: unknown) =>
        current &&
        setState({
          error: error instanceof ApiRequestError ? error : new ApiRequestError(0, String(error)),
        }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  const count = runs.length + commits.length;
  const loaded = state.runs;
  return (
    <Page
      name="compare"
      title="Compare runs"
      ready={loaded !== undefined || state.error !== undefined}
    >
      {count < 2 ? (
        <p>
          Pick two or more runs on the <a href={hrefs.runs()}>runs page</a> (or link{' '}
          <code>#/compare?runs=1,2</code> or <code>#/compare?commits=SHA,SHA</code>).
        </p>
      ) : null}
      <ErrorBox error={state.error} what="the runs to compare" />
      {loaded === undefined ? (
        state.error || count < 2 ? null : (
          <Loading what="the runs" />
        )
      ) : (
        <CompareTables runs={loaded} />
      )}
    </Page>
  );
}

function CompareTables({ runs }: { runs: CompareRun[] }) {
  const metrics = compareMetrics(runs);
  const params = compareParams(runs);
  const header = (
    <tr>
      <th scope="col">&nbsp;</th>
      {runs.map(({ run }) => (
        <th scope="col" key={run.id} data-run={run.id}>
          <a href={hrefs.run(run.id)}>Run #{run.id}</a>
        </th>
      ))}
    </tr>
  );
  const charted = [...metrics.filter((m) => m.differs), ...metrics.filter((m) => !m.differs)].slice(
    0,
    MAX_CHARTS,
  );
  return (
    <>
      <table class="data compare" data-testid="compare">
        <caption>The runs</caption>
        <thead>{header}</thead>
        <tbody>
          <Fact runs={runs} label="Pipeline" read={(r) => r.pipeline} />
          <Fact runs={runs} label="Status" read={(r) => r.status} />
          <Fact
            runs={runs}
            label="Commit"
            read={(r) => `${shortSha(r.commit)}${r.dirty ? ' (dirty)' : ''}`}
          />
          <Fact runs={runs} label="Branch" read={(r) => r.branch ?? '—'} />
          <Fact runs={runs} label="Started" read={(r) => formatTime(r.startedAt)} />
        </tbody>
      </table>
      <section class="panel" aria-labelledby="compare-metrics">
        <h2 id="compare-metrics">Metrics</h2>
        <RowsTable
          header={header}
          rows={metrics}
          render={(value, first) => (
            <>
              {formatNumber(value)} <span class="muted">{describeDelta(value, first)}</span>
            </>
          )}
        />
        <div class="charts">
          {charted.map((row) => (
            <Chart
              key={row.key}
              title={row.key}
              x="number"
              bars={{ labels: runs.map(({ run }) => `#${run.id}`) }}
              data={[runs.map((_, i) => i), row.values]}
              series={[{ label: row.key }]}
              height={180}
            />
          ))}
        </div>
      </section>
      <section class="panel" aria-labelledby="compare-params">
        <h2 id="compare-params">Params</h2>
        <RowsTable header={header} rows={params} render={(value) => <code>{value ?? '—'}</code>} />
      </section>
    </>
  );
}

function Fact({
  runs,
  label,
  read,
}: {
  runs: CompareRun[];
  label: string;
  read: (run: RunDetail) => string;
}) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {runs.map(({ run }) => (
        <td key={run.id}>{read(run)}</td>
      ))}
    </tr>
  );
}

function RowsTable<T>(props: {
  header: JSX.Element;
  rows: Array<CompareRow<T>>;
  render: (value: T | null, first: T | null) => ComponentChildren;
}) {
  if (props.rows.length === 0) return <p class="muted">None recorded.</p>;
  return (
    <table class="data compare">
      <thead>{props.header}</thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key} class={row.differs ? 'differs' : ''}>
            <th scope="row">
              {row.key}
              {row.differs ? <span class="small"> (differs)</span> : null}
            </th>
            {row.values.map((value, i) => (
              <td key={i} class="num">
                {props.render(value, row.values[0] ?? null)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
