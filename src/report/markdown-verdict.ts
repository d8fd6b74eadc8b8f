/** The top of the PR comment: the marker that finds it again, the verdict, and each gate's. */
import type { GateVerdict, ReportInput, ValidationResult } from '../evaluate/types.js';
import { formatModelVersion, formatNumber } from './format.js';
import { escapeMarkdown, inlineCode, renderTable } from './markdown-tables.js';

/**
 * The hidden first line of a report comment. A bot looks for it to update its own comment in
 * place instead of adding one per push. Percent-encoding keeps any model name from ending the
 * HTML comment early.
 */
export function reportMarker(modelName: string): string {
  return `<!-- weft-report:${encodeURIComponent(modelName)} -->`;
}

export function renderHeadline(input: ReportInput, title: string): string {
  const { validation, candidate } = input;
  const [icon, verdict] = validation.passed ? ['✅', 'passed'] : ['❌', 'failed'];
  const facts = [
    `**${escapeMarkdown(formatModelVersion(validation.model))}** vs ${describeBaseline(validation)}`,
    describeGateCount(validation.gates),
    `dataset ${inlineCode(candidate.dataset.path)} (${candidate.dataset.rows} rows)`,
  ];
  if (input.commit) facts.push(`commit ${inlineCode(input.commit.slice(0, 12))}`);
  return `## ${icon} ${escapeMarkdown(title)}: ${verdict}\n\n${facts.join(' · ')}`;
}

function describeBaseline(validation: ValidationResult): string {
  const { baseline } = validation;
  if (!baseline) return 'no baseline';
  const version = formatModelVersion(baseline);
  const ref = baseline.ref === version ? '' : ` (${escapeMarkdown(baseline.ref)})`;
  return `baseline **${escapeMarkdown(version)}**${ref}`;
}

function describeGateCount(gates: GateVerdict[]): string {
  const failed = gates.filter((gate) => !gate.passed).length;
  const noun = gates.length === 1 ? 'gate' : 'gates';
  if (gates.length === 0) return 'no gates';
  if (failed === 0)
    return gates.length === 1 ? 'the gate passed' : `all ${gates.length} gates passed`;
  return `${failed} of ${gates.length} ${noun} failed`;
}

export function renderGates(gates: GateVerdict[]): string {
  if (gates.length === 0) return '### Gates\n\nNo gates are declared in `spec.gates`.';
  const table = renderTable(
    [
      { header: 'Gate' },
      { header: 'Value', align: 'right' },
      { header: 'Threshold', align: 'right' },
      { header: 'Verdict', align: 'center' },
      { header: 'Message' },
    ],
    gates.map((gate) => [
      gate.gate,
      formatNumber(gate.value),
      formatNumber(gate.threshold),
      gate.passed ? '✅ passed' : '❌ failed',
      gate.message,
    ]),
  );
  return `### Gates\n\n${table}`;
}
