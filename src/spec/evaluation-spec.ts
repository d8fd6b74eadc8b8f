import { FAIRNESS_METRICS, gateMetricNames } from './gate-metrics.js';
import type { Resolver } from './resolver.js';
import { toArray } from './resolver.js';
import { suggestClosest } from '../core/suggest.js';
import type { EvaluationTask, ResolvedEvaluation, ResolvedGate } from './types.js';
import { isPlainObject, locatePath } from './yaml-document.js';
import type { YamlPath } from './yaml-document.js';

const AT: YamlPath = ['spec', 'evaluation'];
const DEFAULT_IMPORTANCE = { repeats: 5, seed: 0 };
const DEFAULT_BOOTSTRAP = { samples: 200, level: 0.95, seed: 0 };

/** `spec.evaluation` with defaults applied; the schema has already checked the types. */
export function resolveEvaluation(
  r: Resolver,
  raw: Record<string, unknown>,
): ResolvedEvaluation | undefined {
  const dataset = r.path(raw.dataset, [...AT, 'dataset']);
  if (dataset === undefined || typeof raw.label !== 'string') return undefined;
  const sensitive = strings(raw.sensitive);
  const evaluation: ResolvedEvaluation = {
    dataset,
    label: raw.label,
    sensitive,
    importance:
      raw.importance === false ? null : { ...DEFAULT_IMPORTANCE, ...record(raw.importance) },
    bootstrap: { ...DEFAULT_BOOTSTRAP, ...record(raw.bootstrap) },
  };
  if (Array.isArray(raw.features)) evaluation.features = strings(raw.features);
  if (raw.task === 'classification' || raw.task === 'regression') {
    evaluation.task = raw.task satisfies EvaluationTask;
  }
  if (Array.isArray(raw.classes)) evaluation.classes = strings(raw.classes);
  if (typeof raw.positiveClass === 'string') evaluation.positiveClass = raw.positiveClass;
  checkColumns(r, evaluation);
  return evaluation;
}

/** A column cannot be both what the model reads and what it is judged on. */
function checkColumns(r: Resolver, evaluation: ResolvedEvaluation): void {
  for (const [index, feature] of (evaluation.features ?? []).entries()) {
    if (feature === evaluation.label) {
      r.report([...AT, 'features', index], `"${feature}" is the label; the model cannot read it`);
    }
  }
  const { classes, positiveClass } = evaluation;
  if (classes && positiveClass !== undefined && !classes.includes(positiveClass)) {
    r.report([...AT, 'positiveClass'], `"${positiveClass}" is not one of classes`);
  }
}

/** `spec.gates`, each checked against the metrics evaluation produces. */
export function resolveGates(
  r: Resolver,
  raw: unknown[],
  evaluation: ResolvedEvaluation | undefined,
): ResolvedGate[] {
  const known = gateMetricNames(evaluation?.sensitive ?? []);
  return raw.flatMap((item, index): ResolvedGate[] => {
    if (!isPlainObject(item)) return [];
    const at: YamlPath = ['spec', 'gates', index];
    const location = locatePath(r.source, at, 'key');
    if (item.reproducible === true && item.metric === undefined) {
      return [{ kind: 'reproducible', location }];
    }
    if (evaluation === undefined) {
      r.report(at, 'a metric gate needs spec.evaluation to say which dataset to evaluate on');
      return [];
    }
    if (typeof item.metric !== 'string') {
      if (item.reproducible !== true) r.report(at, 'required key "metric" is missing');
      return [];
    }
    if (!known.includes(item.metric)) {
      r.report([...at, 'metric'], unknownMetricMessage(item.metric, known, evaluation.sensitive));
      return [];
    }
    const gate: ResolvedGate = {
      kind: 'metric',
      metric: item.metric,
      tolerance: typeof item.tolerance === 'number' ? item.tolerance : 0,
      relative: item.relative === true,
      location,
    };
    if (typeof item.min === 'number') gate.min = item.min;
    if (typeof item.max === 'number') gate.max = item.max;
    if (typeof item.noWorseThan === 'string') gate.noWorseThan = item.noWorseThan;
    const gates: ResolvedGate[] = [gate];
    if (item.reproducible === true) gates.push({ kind: 'reproducible', location });
    return gates;
  });
}

function unknownMetricMessage(metric: string, known: string[], sensitive: string[]): string {
  const [attribute, gap] = metric.split('.', 2);
  if (gap !== undefined && attribute !== undefined && !sensitive.includes(attribute)) {
    const listed = sensitive.length ? sensitive.join(', ') : 'none';
    if ((FAIRNESS_METRICS as readonly string[]).includes(gap)) {
      return `"${attribute}" is not a sensitive attribute of spec.evaluation (listed: ${listed})`;
    }
  }
  const hint = suggestClosest(metric, known);
  return `unknown metric "${metric}"${hint ? `; did you mean "${hint}"?` : ''} (known: ${known.join(', ')})`;
}

function strings(value: unknown): string[] {
  return toArray(value).filter((v): v is string => typeof v === 'string');
}

function record(value: unknown): Record<string, number> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
}
