import type { AnalysisCheck, Drift } from '../api/types.js';
import { Chart } from '../components/chart.js';
import { formatNumber } from '../model/format.js';
import {
  driftColumns,
  metricColumns,
  type EvidencePoint,
  type LiveSample,
} from '../model/live-series.js';
import type { ObservedStep } from '../model/timeline.js';

/** The metrics charted for the served version against a canary, in order. */
const METRICS: ReadonlyArray<{
  title: string;
  read: (point: EvidencePoint) => number | null;
  yRange?: [number, number];
}> = [
  { title: 'Traffic: requests', read: (p) => p.requests },
  { title: 'Errors: share of 5xx answers', read: (p) => p.errorRate },
  { title: 'p99 latency (ms)', read: (p) => p.p99LatencyMs },
  { title: 'Online accuracy (from feedback)', read: (p) => p.accuracy, yRange: [0, 1] },
];

/**
 * Live metrics of the served version and of a canary, as polled from the drift endpoint (each
 * point covers the minute before it), and the rollout's analysis checks over time.
 */
export function LiveMetrics(props: { samples: readonly LiveSample[]; latest: Drift | undefined }) {
  const { samples } = props;
  const canaryVersion = samples.findLast((s) => s.canary !== null)?.canary?.version;
  const servedVersion = samples.at(-1)?.served.version ?? '';
  const series = [
    { label: `served (${servedVersion})` },
    { label: canaryVersion ? `canary (${canaryVersion})` : 'canary' },
  ];
  const drift = driftColumns(samples);
  return (
    <section class="panel" aria-labelledby="live-title" data-testid="live-metrics">
      <h2 id="live-title">Live metrics (each point: the minute before it)</h2>
      <div class="charts">
        {METRICS.map(({ title, read, yRange }) => (
          <Chart
            key={title}
            title={title}
            x="time"
            yRange={yRange}
            data={metricColumns(samples, read)}
            series={series}
          />
        ))}
        <Chart
          title="Input drift per feature (test statistic)"
          x="time"
          data={drift.data}
          series={drift.features.map((label) => ({ label }))}
        />
      </div>
      <DriftTable drift={props.latest} />
    </section>
  );
}

function DriftTable({ drift }: { drift: Drift | undefined }) {
  const features = Object.entries(drift?.served.inputDrift?.features ?? {});
  if (!drift) return null;
  if (features.length === 0) {
    return (
      <p class="muted">
        No input drift measured for version {drift.served.version} yet (it needs sampled requests
        and reference data).
      </p>
    );
  }
  return (
    <table class="data">
      <caption>Input drift of version {drift.served.version}, last minute</caption>
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">Test</th>
          <th scope="col">Statistic</th>
          <th scope="col">p-value</th>
          <th scope="col">PSI</th>
          <th scope="col">Threshold</th>
          <th scope="col">Drifted</th>
        </tr>
      </thead>
      <tbody>
        {features.map(([name, f]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{f.method}</td>
            <td class="num">{formatNumber(f.statistic)}</td>
            <td class="num">{formatNumber(f.pValue)}</td>
            <td class="num">{formatNumber(f.psi)}</td>
            <td class="num">{formatNumber(f.threshold)}</td>
            <td>{f.drifted ? '✗ drifted' : '✓ no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Each analysis check's value at each analysis seen, beside its threshold; the canary's weight. */
export function CheckCharts(props: {
  observed: readonly ObservedStep[];
  history: ReadonlyArray<{ at: string; checks: AnalysisCheck[] }>;
}) {
  const { observed, history } = props;
  const names = [...new Set(history.flatMap((point) => point.checks.map((c) => c.name)))];
  const weights = observed.filter((s) => s.canaryWeight !== null);
  if (history.length === 0 && weights.length === 0) return null;
  const seconds = (at: string) => Date.parse(at) / 1000;
  return (
    <section class="panel" aria-labelledby="checks-title">
      <h2 id="checks-title">Rollout analysis over time</h2>
      <div class="charts">
        {weights.length > 0 ? (
          <Chart
            title="Canary share of traffic (%)"
            x="time"
            yRange={[0, 100]}
            data={[weights.map((s) => seconds(s.at)), weights.map((s) => s.canaryWeight)]}
            series={[{ label: 'canary weight %' }]}
          />
        ) : null}
        {names.map((name) => {
          const points = history.filter((p) => p.checks.some((c) => c.name === name));
          const checkOf = (p: { checks: AnalysisCheck[] }) => p.checks.find((c) => c.name === name);
          return (
            <Chart
              key={name}
              title={`Check ${name}`}
              x="time"
              data={[
                points.map((p) => seconds(p.at)),
                points.map((p) => checkOf(p)?.value ?? null),
                points.map((p) => checkOf(p)?.threshold ?? null),
              ]}
              series={[{ label: name }, { label: 'threshold', reference: true }]}
            />
          );
        })}
      </div>
    </section>
  );
}
