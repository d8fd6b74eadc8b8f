import { describe, expect, it } from 'vitest';
import type { MetricValue } from '../registry/types.js';
import { diffMetrics } from './metrics-diff.js';

const m = (file: string, key: string, value: number): MetricValue => ({ file, key, value });

describe('diffMetrics', () => {
  it('pairs metrics by file and key and gives new minus old', () => {
    expect(
      diffMetrics([m('metrics.json', 'accuracy', 0.8)], [m('metrics.json', 'accuracy', 0.85)]),
    ).toEqual([{ file: 'metrics.json', key: 'accuracy', old: 0.8, new: 0.85, change: 0.85 - 0.8 }]);
  });

  it('reports a metric only before as removed, with new and change null', () => {
    expect(diffMetrics([m('metrics.json', 'loss', 0.3)], [])).toEqual([
      { file: 'metrics.json', key: 'loss', old: 0.3, new: null, change: null },
    ]);
  });

  it('reports a metric only after as added, with old and change null', () => {
    expect(diffMetrics([], [m('metrics.json', 'f1', 0.7)])).toEqual([
      { file: 'metrics.json', key: 'f1', old: null, new: 0.7, change: null },
    ]);
  });

  it('keeps the same key in two files apart', () => {
    const rows = diffMetrics(
      [m('train.json', 'loss', 1), m('eval.json', 'loss', 2)],
      [m('train.json', 'loss', 0.5), m('eval.json', 'loss', 3)],
    );
    expect(rows).toEqual([
      { file: 'eval.json', key: 'loss', old: 2, new: 3, change: 1 },
      { file: 'train.json', key: 'loss', old: 1, new: 0.5, change: -0.5 },
    ]);
  });

  it('gives a zero change for an unchanged metric', () => {
    expect(diffMetrics([m('a.json', 'x', 4)], [m('a.json', 'x', 4)])).toEqual([
      { file: 'a.json', key: 'x', old: 4, new: 4, change: 0 },
    ]);
  });

  it('sorts rows by file, then key, whatever the input order', () => {
    const before = [m('b.json', 'z', 1), m('a.json', 'y', 1), m('b.json', 'a', 1)];
    const after = [m('a.json', 'x', 2), m('b.json', 'm', 2), m('a.json', 'y', 2)];
    const rows = diffMetrics(before, after);
    expect(rows.map((r) => `${r.file}:${r.key}`)).toEqual([
      'a.json:x',
      'a.json:y',
      'b.json:a',
      'b.json:m',
      'b.json:z',
    ]);
    expect(diffMetrics([...before].reverse(), [...after].reverse())).toEqual(rows);
  });

  it('sorts by code point so output is the same in every locale', () => {
    const rows = diffMetrics(
      [m('m.json', 'b', 1), m('m.json', 'B', 1), m('m.json', 'a.b', 1), m('m.json', 'a', 1)],
      [],
    );
    expect(rows.map((r) => r.key)).toEqual(['B', 'a', 'a.b', 'b']);
  });

  it('does not take a file name prefix for a separate key', () => {
    const rows = diffMetrics([m('a', 'b.c', 1)], [m('a.b', 'c', 2)]);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.change === null)).toBe(true);
  });

  it('returns nothing for no metrics', () => {
    expect(diffMetrics([], [])).toEqual([]);
  });

  it('does not change its inputs', () => {
    const before = [m('b.json', 'x', 1), m('a.json', 'x', 1)];
    const after = [m('a.json', 'x', 3)];
    const copy = JSON.parse(JSON.stringify({ before, after })) as unknown;
    diffMetrics(before, after);
    expect({ before, after }).toEqual(copy);
  });
});
