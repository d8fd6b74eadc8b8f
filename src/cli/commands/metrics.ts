import type { Command } from 'commander';
import { openStore } from '../../app/open.js';
import { diffMetrics, readMetricsAt, type MetricsSource } from '../../exec/metrics-diff.js';
import { resolveCommandConfig } from '../context.js';
import { formatMarkdownTable, formatTable, printJson, printLine } from '../output.js';

interface DiffFlags {
  json?: boolean;
  md?: boolean;
  all?: boolean;
}

export function registerMetrics(program: Command): void {
  const metrics = program.command('metrics').description('compare metrics across revisions');
  metrics
    .command('diff')
    .description('compare metrics of two Git revisions (default: HEAD vs the working tree)')
    .argument('[a]', 'old revision', 'HEAD')
    .argument('[b]', 'new revision (default: the working tree)')
    .option('--json', 'print JSON')
    .option('--md', 'print a Markdown table (for PR comments)')
    .option('--all', 'include metrics that did not change')
    .action(async (a: string, b: string | undefined, flags: DiffFlags, command: Command) => {
      const config = resolveCommandConfig(command);
      const store = await openStore(config);
      const newer: MetricsSource = b === undefined ? 'workspace' : { rev: b };
      const [before, after] = await Promise.all([
        readMetricsAt(config.root, store, { rev: a }),
        readMetricsAt(config.root, store, newer),
      ]);
      const rows = diffMetrics(before, after).filter((r) => flags.all || r.change !== 0);
      if (flags.json) {
        printJson({ old: a, new: b ?? 'workspace', metrics: rows });
        return;
      }
      if (rows.length === 0) {
        printLine(`No metric changed between ${a} and ${b ?? 'the working tree'}.`);
        return;
      }
      const table = [
        ['Path', 'Metric', a, b ?? 'workspace', 'Change'],
        ...rows.map((r) => [r.file, r.key, show(r.old), show(r.new), showChange(r.change)]),
      ];
      printLine(flags.md ? formatMarkdownTable(table) : formatTable(table));
    });
}

function show(value: number | null): string {
  return value === null ? '-' : String(Number(value.toPrecision(6)));
}

function showChange(value: number | null): string {
  if (value === null) return '-';
  const rounded = Number(value.toPrecision(4));
  return rounded > 0 ? `+${rounded}` : String(rounded);
}
