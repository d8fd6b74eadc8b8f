import { describe, expect, it } from 'vitest';
import type { ClassificationMetrics, ReportInput } from '../../evaluate/types.js';
import { sampleClassificationReport, sampleRegressionReport } from '../fixtures.js';
import { runXmllint } from '../xmllint.testing.js';
import { niceAxis } from './axes.js';
import { renderPlots } from './index.js';

function classifierMetrics(input: ReportInput): ClassificationMetrics {
  if (input.candidate.metrics.task !== 'classification') throw new Error('fixture is a classifier');
  return input.candidate.metrics;
}

function count(svg: string, pattern: RegExp): number {
  return svg.match(pattern)?.length ?? 0;
}

describe('renderPlots', () => {
  it('draws ROC, confusion, calibration and importance for a classifier, each a well-formed SVG', async () => {
    const plots = renderPlots(sampleClassificationReport());
    expect(Object.keys(plots)).toEqual(['roc', 'confusion', 'calibration', 'importance']);
    for (const svg of Object.values(plots)) {
      expect(svg).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      );
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      const result = await runXmllint(svg);
      expect(result.stderr).toBe('');
      expect(result.ok).toBe(true);
    }
  });

  it('draws only importance for a regression', () => {
    expect(Object.keys(renderPlots(sampleRegressionReport()))).toEqual(['importance']);
  });

  it('leaves out ROC and calibration without probabilities, and importance when it was not computed', () => {
    const input = sampleClassificationReport();
    Object.assign(classifierMetrics(input), { roc: {}, calibration: [] });
    input.candidate.importance = null;
    expect(Object.keys(renderPlots(input))).toEqual(['confusion']);
  });

  it('gives the same bytes for the same input', () => {
    expect(renderPlots(sampleClassificationReport())).toEqual(
      renderPlots(sampleClassificationReport()),
    );
  });

  it('draws one ROC curve per class next to the chance diagonal, with a legend', () => {
    const svg = renderPlots(sampleClassificationReport()).roc ?? '';
    expect(count(svg, /<polyline /g)).toBe(3);
    expect(svg).toContain('stroke-dasharray="5 4"');
    for (const label of ['Adelie', 'Chinstrap', 'Gentoo', 'chance'])
      expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('<title>ROC curve (macro AUC 0.9612)</title>');
  });

  it('draws a cell with its count for every pair of classes', () => {
    const svg = renderPlots(sampleClassificationReport()).confusion ?? '';
    expect(count(svg, /<rect x=/g)).toBe(9);
    expect(svg).toContain(
      '<title>actual Chinstrap, predicted Adelie: 3 rows (15% of Chinstrap)</title>',
    );
  });

  it('draws the top ten features as bars with whiskers', () => {
    const svg = renderPlots(sampleClassificationReport()).importance ?? '';
    expect(count(svg, /<rect x=/g)).toBe(10);
    expect(svg).toContain('<title>feature_01: 0.2900 ± 0.0100</title>');
    expect(svg).not.toContain('feature_11');
  });

  it('escapes names and drops characters XML cannot hold', async () => {
    const input = sampleClassificationReport();
    const metrics = classifierMetrics(input);
    const evil = '<b>&"x"]]>\u0001\uD800';
    metrics.classes = [evil, 'Chinstrap', 'Gentoo'];
    metrics.roc = { [evil]: metrics.roc.Adelie ?? [] };
    input.candidate.importance!.features[0]!.feature = evil;
    const plots = renderPlots(input);
    for (const name of ['roc', 'confusion', 'importance'] as const) {
      expect(plots[name]).toContain('&lt;b&gt;&amp;"x"]]&gt;');
    }
    for (const svg of Object.values(plots)) expect((await runXmllint(svg)).ok).toBe(true);
  });
});

describe('niceAxis', () => {
  it('widens the range to round steps that include zero', () => {
    const axis = niceAxis(-0.008, 0.3, 5, 'x');
    expect(axis.domain[0]).toBeCloseTo(-0.1);
    expect(axis.domain[1]).toBeCloseTo(0.3);
    expect(axis.ticks.map((t) => Number(t.toFixed(3)))).toEqual([-0.1, 0, 0.1, 0.2, 0.3]);
  });

  it('gives an empty range a width', () => {
    expect(niceAxis(0, 0, 5, 'x').domain).toEqual([0, 1]);
  });
});

describe('renderPlots with many classes', () => {
  it('makes the ROC plot tall enough for a legend row per class', () => {
    const input = sampleClassificationReport();
    const curve = classifierMetrics(input).roc.Adelie ?? [];
    classifierMetrics(input).roc = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`class ${i}`, curve]),
    );
    const svg = renderPlots(input).roc ?? '';
    const height = Number(/<svg [^>]*height="(\d+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThan(44 + 8 + 31 * 18);
  });
});
