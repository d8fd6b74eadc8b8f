/**
 * The gate verdicts as JUnit XML, so CI systems (Jenkins, GitLab, GitHub test reporters) show
 * each gate as a test. The output keeps to what both widely used schemas accept: Jenkins
 * xUnit's junit-10.xsd and the stricter Apache Ant schema (windyroad JUnit.xsd), which wants
 * `properties`, `system-out` and `system-err` in that order, `id` and `package` on each suite,
 * and a timestamp without a time zone.
 */
import type { GateVerdict, ReportInput } from '../evaluate/types.js';
import { formatModelVersion, formatNumber } from './format.js';
import { escapeXmlText, xmlElement } from './xml.js';

/** The `type` of a failure, for CI systems that group failures by it. */
export const GATE_FAILED = 'GateFailed';

export function renderJUnit(input: ReportInput): string {
  const { validation, candidate } = input;
  const classname = `weft.gates.${validation.model.name}`;
  const failures = validation.gates.filter((gate) => !gate.passed).length;
  const children = [
    renderProperties(input),
    ...validation.gates.map((gate) => renderTestcase(gate, classname)),
    xmlElement('system-out', {}, escapeXmlText(summarize(input))),
    xmlElement('system-err', {}, ''),
  ];
  const suite = xmlElement(
    'testsuite',
    {
      name: `weft validate ${formatModelVersion(validation.model)}`,
      tests: validation.gates.length,
      failures,
      errors: 0,
      skipped: 0,
      time: formatSeconds(candidate.timing.totalMs),
      timestamp: formatTimestamp(validation.validatedAt),
      hostname: 'localhost',
      id: 0,
      package: classname,
    },
    `\n${children.map((child) => `    ${child}`).join('\n')}\n  `,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  ${suite}\n</testsuites>\n`;
}

function renderProperties(input: ReportInput): string {
  const { validation, candidate } = input;
  const { baseline } = validation;
  const properties: Array<[string, string]> = [
    ['weft.model', formatModelVersion(validation.model)],
    ['weft.model.digest', validation.model.digest],
    ['weft.dataset', candidate.dataset.path],
    ['weft.dataset.digest', candidate.dataset.digest],
  ];
  if (baseline)
    properties.push(['weft.baseline', `${baseline.ref} (${formatModelVersion(baseline)})`]);
  if (input.commit) properties.push(['weft.commit', input.commit]);
  const items = properties.map(([name, value]) => xmlElement('property', { name, value }));
  return xmlElement('properties', {}, `\n${items.map((item) => `      ${item}`).join('\n')}\n    `);
}

/** Gates are checks on numbers already computed, so each takes no time of its own. */
function renderTestcase(gate: GateVerdict, classname: string): string {
  const attributes = { name: gate.gate, classname, time: '0.000' };
  if (gate.passed) return xmlElement('testcase', attributes);
  const failure = xmlElement(
    'failure',
    { message: gate.message, type: GATE_FAILED },
    escapeXmlText(describeGate(gate)),
  );
  return xmlElement('testcase', attributes, `\n      ${failure}\n    `);
}

function describeGate(gate: GateVerdict): string {
  const lines = [
    `gate: ${gate.gate}`,
    `value: ${formatNumber(gate.value)}`,
    `threshold: ${formatNumber(gate.threshold)}`,
  ];
  const { baseline } = gate;
  if (baseline) {
    lines.push(
      `baseline: ${baseline.ref} (version ${baseline.version}): ${formatNumber(baseline.value)}`,
    );
  }
  return lines.join('\n');
}

function summarize(input: ReportInput): string {
  const { validation } = input;
  const verdict = validation.passed ? 'passed' : 'failed';
  return [
    `weft validate ${formatModelVersion(validation.model)}: ${verdict}`,
    ...validation.gates.map((g) => `${g.passed ? 'PASS' : 'FAIL'} ${g.gate}: ${g.message}`),
  ].join('\n');
}

function formatSeconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0.000';
}

/**
 * Ant's schema allows no time zone and no fractions, so the instant is written in UTC. A value
 * that is no date at all is passed on as it is rather than replaced by an invented one.
 */
function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 19);
}
