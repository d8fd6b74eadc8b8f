import type { MetricValue, RunDetail } from '../api/types.js';
import { latestExecutions } from './stage-graph.js';

/** Runs side by side: every metric and param any of them has, one value per run. */
export interface CompareRun {
  run: RunDetail;
  metrics: MetricValue[];
}

export interface CompareRow<T> {
  key: string;
  values: Array<T | null>;
  /** Not every run has the same value. */
  differs: boolean;
}

function rowsOf<T>(
  runs: readonly CompareRun[],
  entriesOf: (run: CompareRun) => Array<[string, T]>,
  same: (a: T | null, b: T | null) => boolean,
): Array<CompareRow<T>> {
  const maps = runs.map((run) => new Map(entriesOf(run)));
  const keys = [...new Set(maps.flatMap((map) => [...map.keys()]))].sort();
  return keys.map((key) => {
    const values = maps.map((map) => map.get(key) ?? null);
    const first = values[0] ?? null;
    return { key, values, differs: values.some((value) => !same(value, first)) };
  });
}

export function compareMetrics(runs: readonly CompareRun[]): Array<CompareRow<number>> {
  return rowsOf(
    runs,
    (run) => run.metrics.map((m): [string, number] => [`${m.file}: ${m.key}`, m.value]),
    (a, b) => a === b,
  );
}

/**
 * Params as dotted paths (`train.lr`), as params.yaml nests them; lists and other values are
 * compared as JSON text.
 */
export function flattenParams(
  params: Record<string, unknown>,
  prefix = '',
): Array<[string, string]> {
  return Object.entries(params).flatMap(([key, value]): Array<[string, string]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? flattenParams(value as Record<string, unknown>, path)
      : [[path, JSON.stringify(value)]];
  });
}

/** Params by stage and dotted path. */
export function compareParams(runs: readonly CompareRun[]): Array<CompareRow<string>> {
  return rowsOf(
    runs,
    (run) =>
      latestExecutions(run.run.stages).flatMap((stage) =>
        flattenParams(stage.params).map(([key, value]): [string, string] => [
          `${stage.stage}: ${key}`,
          value,
        ]),
      ),
    (a, b) => a === b,
  );
}

/** `+0.02` against the first run; empty for the first run and for missing values. */
export function describeDelta(value: number | null, first: number | null): string {
  if (value === null || first === null || value === first) return '';
  const delta = value - first;
  return `${delta > 0 ? '+' : '−'}${Number(Math.abs(delta).toPrecision(3))}`;
}
