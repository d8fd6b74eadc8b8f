import type { AttributeFairness, ClassificationMetrics, EvaluationResult } from '../api/types.js';
import { Chart } from '../components/chart.js';
import { Verdict } from '../components/ui.js';
import { headlineMetrics, type Verdicts } from '../model/evaluation.js';
import { formatNumber, formatTime } from '../model/format.js';
import { hrefs } from '../router.js';

const MAX_ROC_CHARTS = 6;

/** The gates of the version's last validation, each with its value, threshold and baseline. */
export function GateVerdicts({ verdicts, model }: { verdicts: Verdicts | null; model: string }) {
  if (!verdicts) return <p class="muted">Not validated against gates yet (weft validate).</p>;
  return (
    <section class="panel" aria-labelledby="gates-title" data-testid="gates">
      <h2 id="gates-title">
        Gates: <Verdict passed={verdicts.passed} />
      </h2>
      {verdicts.baseline ? (
        <p>
          Compared with{' '}
          <a href={hrefs.version(model, verdicts.baseline.version)}>
            {verdicts.baseline.name}@{verdicts.baseline.version}
          </a>{' '}
          ({verdicts.baseline.ref}).
        </p>
      ) : null}
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Gate</th>
            <th scope="col">Verdict</th>
            <th scope="col">Value</th>
            <th scope="col">Threshold</th>
            <th scope="col">Baseline</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {verdicts.gates.map((gate) => (
            <tr key={gate.gate} class={gate.passed ? '' : 'failed-row'}>
              <th scope="row">{gate.gate}</th>
              <td>
                <Verdict passed={gate.passed} />
              </td>
              <td class="num">{formatNumber(gate.value)}</td>
              <td class="num">{formatNumber(gate.threshold)}</td>
              <td>
                {gate.baseline
                  ? `${gate.baseline.ref} (v${gate.baseline.version}): ${formatNumber(gate.baseline.value)}`
                  : '—'}
              </td>
              <td class="small">{gate.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Metrics, confusion matrix, ROC and calibration, fairness by group, feature importance. */
export function Evaluation({ result }: { result: EvaluationResult }) {
  const metrics = result.metrics;
  return (
    <section class="panel" aria-labelledby="evaluation-title" data-testid="evaluation">
      <h2 id="evaluation-title">Evaluation</h2>
      <p class="muted">
        On {result.dataset.path} ({result.dataset.rows} rows), label <code>{result.label}</code>, at{' '}
        {formatTime(result.evaluatedAt)}.
      </p>
      <table class="data narrow">
        <caption>Metrics</caption>
        <tbody>
          {headlineMetrics(result).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td class="num">{formatNumber(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {metrics.task === 'classification' ? <Classification metrics={metrics} /> : null}
      {result.fairness.map((attribute) => (
        <Fairness key={attribute.attribute} fairness={attribute} />
      ))}
      <Importance result={result} />
    </section>
  );
}

function Classification({ metrics }: { metrics: ClassificationMetrics }) {
  const classes = metrics.classes;
  const rocClasses = Object.keys(metrics.roc).slice(0, MAX_ROC_CHARTS);
  const calibration = [...metrics.calibration].sort((a, b) => a.meanPredicted - b.meanPredicted);
  return (
    <>
      <div class="side-by-side">
        <table class="data confusion" data-testid="confusion-matrix">
          <caption>Confusion matrix (rows: actual, columns: predicted)</caption>
          <thead>
            <tr>
              <th scope="col">actual \ predicted</th>
              {classes.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {metrics.confusionMatrix.map((row, i) => (
              <tr key={classes[i] ?? i}>
                <th scope="row">{classes[i]}</th>
                {row.map((count, j) => (
                  <td
                    key={j}
                    class={`num ${i === j ? 'diagonal' : count > 0 ? 'off-diagonal' : ''}`}
                  >
                    {count}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <table class="data">
          <caption>Per class</caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Precision</th>
              <th scope="col">Recall</th>
              <th scope="col">F1</th>
              <th scope="col">Support</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((c) => {
              const m = metrics.perClass[c];
              return (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  <td class="num">{formatNumber(m?.precision)}</td>
                  <td class="num">{formatNumber(m?.recall)}</td>
                  <td class="num">{formatNumber(m?.f1)}</td>
                  <td class="num">{m?.support ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="charts">
        {rocClasses.map((name) => {
          const points = metrics.roc[name] ?? [];
          return (
            <Chart
              key={name}
              title={`ROC${rocClasses.length > 1 ? ` of ${name} vs rest` : ''}`}
              x="number"
              xLabel="false positive rate"
              yLabel="true positive rate"
              yRange={[0, 1]}
              height={200}
              data={[points.map((p) => p.fpr), points.map((p) => p.tpr), points.map((p) => p.fpr)]}
              series={[{ label: `ROC ${name}` }, { label: 'chance', reference: true }]}
            />
          );
        })}
        {calibration.length > 0 ? (
          <Chart
            title="Calibration (reliability)"
            x="number"
            xLabel="mean predicted probability"
            yLabel="fraction positive"
            yRange={[0, 1]}
            height={200}
            data={[
              [0, ...calibration.map((b) => b.meanPredicted), 1],
              [null, ...calibration.map((b) => b.fractionPositive), null],
              [0, ...calibration.map((b) => b.meanPredicted), 1],
            ]}
            series={[{ label: 'observed' }, { label: 'perfectly calibrated', reference: true }]}
          />
        ) : (
          <p class="muted">No calibration: the model outputs labels only.</p>
        )}
      </div>
    </>
  );
}

const estimate = (e: { value: number; interval: [number, number] | null; level: number } | null) =>
  e === null
    ? '—'
    : `${formatNumber(e.value)}${e.interval ? ` [${formatNumber(e.interval[0])}, ${formatNumber(e.interval[1])}]` : ''}`;

function Fairness({ fairness }: { fairness: AttributeFairness }) {
  const classification = fairness.groups[0]?.metrics.task !== 'regression';
  const level = Math.round(fairness.demographicParityDifference.level * 100);
  return (
    <div class="fairness" data-testid="fairness">
      <table class="data">
        <caption>
          Fairness by {fairness.attribute}
          {fairness.positiveClass ? ` (positive class ${fairness.positiveClass})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Rows</th>
            <th scope="col">{classification ? 'Selection rate' : 'Mean prediction'}</th>
            {classification ? <th scope="col">TPR</th> : null}
            {classification ? <th scope="col">FPR</th> : null}
            <th scope="col">{classification ? 'Accuracy' : 'RMSE'}</th>
          </tr>
        </thead>
        <tbody>
          {fairness.groups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{g.group}</th>
              <td class="num">{g.rows}</td>
              <td class="num">{formatNumber(g.selectionRate)}</td>
              {classification ? <td class="num">{formatNumber(g.truePositiveRate)}</td> : null}
              {classification ? <td class="num">{formatNumber(g.falsePositiveRate)}</td> : null}
              <td class="num">
                {formatNumber(
                  g.metrics.task === 'regression' ? g.metrics.rmse : g.metrics.accuracy,
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="data narrow">
        <caption>Gaps between the groups, with {level}% intervals</caption>
        <tbody>
          <tr>
            <th scope="row">Demographic parity difference</th>
            <td class="num">{estimate(fairness.demographicParityDifference)}</td>
          </tr>
          <tr>
            <th scope="row">Demographic parity ratio</th>
            <td class="num">{estimate(fairness.demographicParityRatio)}</td>
          </tr>
          <tr>
            <th scope="row">Equalized odds difference</th>
            <td class="num">{estimate(fairness.equalizedOddsDifference)}</td>
          </tr>
          <tr>
            <th scope="row">{classification ? 'Accuracy' : 'RMSE'} gap</th>
            <td class="num">{estimate(fairness.metricGap)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function Importance({ result }: { result: EvaluationResult }) {
  const importance = result.importance;
  if (!importance) return <p class="muted">No feature importance computed.</p>;
  const top = Math.max(...importance.features.map((f) => f.mean), 0);
  return (
    <table class="data" data-testid="importance">
      <caption>
        Permutation importance: drop in {importance.scoring} (baseline{' '}
        {formatNumber(importance.baseline)}), {importance.repeats} repeats
      </caption>
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">Mean drop</th>
          <th scope="col">Std</th>
          <th scope="col">Relative</th>
        </tr>
      </thead>
      <tbody>
        {importance.features.map((f) => (
          <tr key={f.feature}>
            <th scope="row">{f.feature}</th>
            <td class="num">{formatNumber(f.mean)}</td>
            <td class="num">{formatNumber(f.std)}</td>
            <td>
              <meter
                min={0}
                max={top > 0 ? top : 1}
                value={Math.max(f.mean, 0)}
                aria-label={`${f.feature} importance`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
