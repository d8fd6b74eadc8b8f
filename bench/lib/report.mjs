// The final table: one row per metric with its absolute value, its baseline, the ratio and
// whether the target is met. A missed target is shouted, not turned into an exit code.

export const MIB = 1024 * 1024;

export const formatRate = (bytesPerSecond) => `${(bytesPerSecond / MIB).toFixed(0)} MiB/s`;
export const formatSeconds = (seconds) => `${seconds.toFixed(3)} s`;
export const formatBytes = (bytes) =>
  bytes >= 1024 * MIB
    ? `${(bytes / 1024 / MIB).toFixed(2)} GiB`
    : `${(bytes / MIB).toFixed(1)} MiB`;

/**
 * A row: `value`/`baseline` are display strings, `ratio` a number, `target` a description and
 * `passes` the verdict.
 */
export function createRow(metric, { value, baseline, ratio, target, passes }) {
  return {
    metric,
    value,
    baseline,
    ratio: `${ratio.toFixed(2)}x`,
    target,
    verdict: passes ? 'pass' : 'MISSED',
  };
}

export function formatTable(rows) {
  const header = {
    metric: 'metric',
    value: 'value',
    baseline: 'baseline',
    ratio: 'ratio',
    target: 'target',
    verdict: 'pass/fail',
  };
  const columns = Object.keys(header);
  const all = [header, ...rows];
  const widths = columns.map((column) => Math.max(...all.map((row) => row[column].length)));
  const line = (row) => columns.map((column, i) => row[column].padEnd(widths[i])).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function summarizeVerdicts(rows) {
  const missed = rows.filter((row) => row.verdict !== 'pass');
  if (missed.length === 0) return `All ${rows.length} targets met.`;
  const names = missed.map((row) => `  - ${row.metric}: ${row.value} (target ${row.target})`);
  return `!!! MISSED ${missed.length} of ${rows.length} targets:\n${names.join('\n')}`;
}
