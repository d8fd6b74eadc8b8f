import { describe, expect, it } from 'vitest';
import { sampleClassificationReport, sampleRegressionReport } from './fixtures.js';
import { renderMarkdown } from './markdown.js';
import { reportMarker } from './markdown-verdict.js';
import { readTable } from './markdown.testing.js';

const classification = renderMarkdown(sampleClassificationReport());
const regression = renderMarkdown(sampleRegressionReport());

function rowOf(table: string[][], first: string): string[] {
  const row = table.find((cells) => cells[0] === first);
  if (!row) throw new Error(`no row ${first}`);
  return row;
}

describe('renderMarkdown', () => {
  it('starts with the hidden marker a bot finds its comment by', () => {
    expect(classification.split('\n')[0]).toBe('<!-- weft-report:penguins -->');
  });

  it('keeps any model name from closing the marker comment early', () => {
    const marker = reportMarker('a --> b <!-- c --!> d');
    expect(marker.slice(4, -3)).not.toMatch(/-->|--!>|<!--/);
  });

  it('says failed with ❌, the candidate and the baseline with its ref', () => {
    const headline = classification.split('\n')[2] ?? '';
    expect(headline).toBe('## ❌ weft validate penguins@3: failed');
    expect(classification).toContain('**penguins@3** vs baseline **penguins@2** (production)');
    expect(classification).toContain('1 of 2 gates failed');
  });

  it('says passed with ✅ and that there is no baseline', () => {
    expect(regression).toContain('## ✅ weft validate penguins@3: passed');
    expect(regression).toContain('vs no baseline · the gate passed');
  });

  it('uses the title given', () => {
    const markdown = renderMarkdown(sampleRegressionReport(), { title: 'Model check' });
    expect(markdown).toContain('## ✅ Model check: passed');
  });

  it('lists every gate with value, threshold and verdict', () => {
    const gates = readTable(classification, '### Gates');
    expect(gates).toHaveLength(3);
    expect(gates[0]).toEqual(['Gate', 'Value', 'Threshold', 'Verdict', 'Message']);
    expect(rowOf(gates, 'accuracy &gt;= 0.9').slice(1, 4)).toEqual([
      '0.9100',
      '0.9000',
      '✅ passed',
    ]);
    const failed = rowOf(gates, 'accuracy no worse than production - 0.01');
    expect(failed.slice(1, 4)).toEqual(['0.9100', '0.9200', '❌ failed']);
  });

  it('signs deltas and judges them by the direction each metric improves in', () => {
    const metrics = readTable(classification, '### Metrics');
    expect(metrics[0]).toEqual(['Metric', 'Candidate', 'Baseline', 'Δ', 'Change']);
    expect(rowOf(metrics, 'accuracy').slice(1)).toEqual(['0.9100', '0.9300', '-0.0200', '▼ worse']);
    expect(rowOf(metrics, 'log\\_loss').slice(1)).toEqual([
      '0.3011',
      '0.2503',
      '+0.0508',
      '▲ worse',
    ]);
    expect(rowOf(metrics, 'precision').slice(3)).toEqual(['0', '= unchanged']);
    const gaps = readTable(classification, '#### sex', 1);
    const parity = rowOf(gaps, 'sex.demographic\\_parity\\_difference');
    expect(parity.slice(1)).toEqual([
      '0.0144',
      '\\[0.0021, 0.1502\\] (95%)',
      '0.0500',
      '-0.0356',
      '▼ better',
    ]);
  });

  it('shows candidate values only when there is no baseline', () => {
    expect(readTable(regression, '### Metrics')).toEqual([
      ['Metric', 'Candidate'],
      ['rmse', '312.5'],
      ['mae', '250.4'],
      ['r2', '0.8125'],
    ]);
    expect(readTable(regression, '#### island', 1)[0]).toEqual([
      'Gap',
      'Candidate',
      'Confidence interval',
    ]);
  });

  it('shows fairness per group with TPR and FPR for a classifier, RMSE for a regression', () => {
    expect(readTable(classification, '#### sex')).toEqual([
      ['Group', 'Rows', 'Selection rate', 'Accuracy', 'TPR', 'FPR'],
      ['female', '48', '0.4375', '0.9375', '0.9500', '0.0741'],
      ['male', '52', '0.4231', '0.8846', '0.9048', '0.0645'],
    ]);
    expect(readTable(regression, '#### island')[0]).toEqual([
      'Group',
      'Rows',
      'Mean prediction',
      'RMSE',
    ]);
    expect(readTable(regression, '#### island', 1)).toHaveLength(4);
  });

  it('has a confusion matrix table with the correct predictions in bold, and none for a regression', () => {
    expect(
      readTable(classification, '<summary>Confusion matrix and per-class metrics</summary>'),
    ).toEqual([
      ['Actual ↓ / Predicted →', 'Adelie', 'Chinstrap', 'Gentoo'],
      ['**Adelie**', '**40**', '2', '1'],
      ['**Chinstrap**', '3', '**15**', '2'],
      ['**Gentoo**', '0', '1', '**36**'],
    ]);
    expect(regression).not.toContain('Confusion matrix');
  });

  it('lists the ten most important features with mean ± std and says how many are left out', () => {
    const features = readTable(classification, '### Top features');
    expect(features).toHaveLength(11);
    expect(features[1]).toEqual(['1', 'feature\\_01', '0.2900 ± 0.0100']);
    expect(classification).toContain('2 more features are not shown.');
  });

  it('shows only the params that differ from the baseline', () => {
    expect(readTable(classification, '### Params changed')).toEqual([
      ['Param', 'Baseline', 'Candidate'],
      ['train.l2', '0.001', 'not set'],
      ['train.lr', '0.1', '0.01'],
    ]);
    expect(regression).not.toContain('### Params');
  });

  it('lists lineage lines', () => {
    expect(classification).toContain('### Lineage\n\n- commit 1a2b3c4d5e6f -&gt; data/train.csv');
  });

  it('escapes pipes and HTML in names so tables keep their columns', () => {
    const input = sampleClassificationReport();
    const evil = 'a|b<script>alert(1)</script>';
    input.validation.gates[0]!.gate = evil;
    input.candidate.importance!.features[0]!.feature = evil;
    input.candidate.fairness[0]!.groups[0]!.group = evil;
    const metrics = input.candidate.metrics;
    if (metrics.task !== 'classification') throw new Error('fixture is a classifier');
    metrics.classes = [evil, 'Chinstrap', 'Gentoo'];
    const markdown = renderMarkdown(input);
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('a\\|b&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(readTable(markdown, '### Gates').every((row) => row.length === 5)).toBe(true);
    expect(readTable(markdown, '### Top features').every((row) => row.length === 3)).toBe(true);
    expect(readTable(markdown, '#### sex').every((row) => row.length === 6)).toBe(true);
    const confusion = readTable(
      markdown,
      '<summary>Confusion matrix and per-class metrics</summary>',
    );
    expect(confusion.every((row) => row.length === 4)).toBe(true);
  });

  it('links the plots it is given in a collapsed section, in a fixed order', () => {
    const markdown = renderMarkdown(sampleClassificationReport(), {
      plotLinks: { importance: 'plots/importance.svg', roc: 'my plots/roc (1).svg' },
    });
    const details = markdown.slice(markdown.indexOf('<summary>Plots</summary>'));
    expect(details).toBe(
      '<summary>Plots</summary>\n\n![ROC curve](my%20plots/roc%20%281%29.svg)\n\n' +
        '![Permutation importance](plots/importance.svg)\n\n</details>\n',
    );
    expect(classification).not.toContain('<summary>Plots</summary>');
  });
});

describe('renderMarkdown with many classes', () => {
  it('leaves a confusion matrix wider than 20 classes to the plot and the JSON', () => {
    const input = sampleClassificationReport();
    const classes = Array.from({ length: 21 }, (_, i) => `class ${i}`);
    Object.assign(input.candidate.metrics, {
      classes,
      confusionMatrix: classes.map(() => classes.map(() => 1)),
    });
    const markdown = renderMarkdown(input);
    expect(markdown).toContain('The confusion matrix of 21 classes is too wide for a table');
    expect(markdown).not.toContain('Actual ↓ / Predicted →');
  });
});
