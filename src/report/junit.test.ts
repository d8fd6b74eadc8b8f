import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GateVerdict, ReportInput } from '../evaluate/types.js';
import { sampleClassificationReport, sampleRegressionReport } from './fixtures.js';
import { renderJUnit } from './junit.js';
import { removeNonXmlChars } from './xml.js';
import { JUNIT_ANT_XSD, JUNIT_XSD, runXmllint } from './xmllint.testing.js';

function withGates(gates: GateVerdict[], modelName = 'penguins'): ReportInput {
  const input = sampleClassificationReport();
  input.validation.gates = gates;
  input.validation.model = { ...input.validation.model, name: modelName };
  return input;
}

function gate(text: string, passed: boolean, message = 'why'): GateVerdict {
  return {
    gate: text,
    kind: 'min',
    metric: 'accuracy',
    passed,
    value: 0.5,
    threshold: 0.9,
    baseline: null,
    message,
  };
}

describe('renderJUnit', () => {
  it.each([
    ['a failing classification', sampleClassificationReport()],
    ['a passing regression', sampleRegressionReport()],
    ['no gates at all', withGates([])],
  ])('validates %s against the Jenkins and the Ant JUnit schemas', async (_, input) => {
    const xml = renderJUnit(input);
    for (const schema of [JUNIT_XSD, JUNIT_ANT_XSD]) {
      const result = await runXmllint(xml, { schema });
      expect(result.stderr).toContain('validates');
      expect(result.ok).toBe(true);
    }
  });

  it.each([
    ['a test case outside any suite', '<testsuites><testcase name="x"/></testsuites>'],
    ['a suite without counts', '<testsuites><testsuite name="x"/></testsuites>'],
    [
      'an unknown element',
      '<testsuite name="x" tests="1" failures="0" errors="0"><oops/></testsuite>',
    ],
    [
      'a test case without a name',
      '<testsuite name="x" tests="1" failures="0" errors="0"><testcase/></testsuite>',
    ],
  ])('the schema check rejects %s', async (_, xml) => {
    const result = await runXmllint(xml, { schema: JUNIT_XSD });
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('fails to validate');
  });

  it('the Ant schema check rejects a suite without properties', async () => {
    const xml = renderJUnit(sampleRegressionReport()).replace(
      /<properties>[\s\S]*<\/properties>/,
      '',
    );
    expect((await runXmllint(xml, { schema: JUNIT_ANT_XSD })).ok).toBe(false);
  });

  it('names the suite after the model version and counts tests and failures', () => {
    const xml = renderJUnit(sampleClassificationReport());
    expect(xml).toContain(
      '<testsuite name="weft validate penguins@3" tests="2" failures="1" errors="0" skipped="0"',
    );
    expect(xml).toContain('time="1.234" timestamp="2026-03-04T05:06:08"');
    expect(
      xml.match(
        /<testcase classname="weft\.gates\.penguins"|<testcase name="[^"]*" classname="weft\.gates\.penguins"/g,
      ),
    ).toHaveLength(2);
  });

  it('gives a failed gate a GateFailed failure with its message, and a passed one none', () => {
    const xml = renderJUnit(
      withGates([gate('f1 >= 0.8', true), gate('recall >= 0.9', false, 'recall 0.5 is below 0.9')]),
    );
    expect(xml).toContain(
      '<testcase name="f1 &gt;= 0.8" classname="weft.gates.penguins" time="0.000"/>',
    );
    expect(xml).toContain(
      '<failure message="recall 0.5 is below 0.9" type="GateFailed">gate: recall &gt;= 0.9\nvalue: 0.5000\nthreshold: 0.9000</failure>',
    );
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });

  it('escapes quotes, ampersands and CDATA ends and drops control characters', async () => {
    const text = 'a "b" & \'c\' ]]> <d>\u0000\u001b\uFFFF\uD800';
    const xml = renderJUnit(withGates([gate(text, false, text)]));
    expect(xml).not.toContain(']]>');
    const result = await runXmllint(xml, { xpath: 'string(//testcase/@name)' });
    expect(result.stdout).toBe('a "b" & \'c\' ]]> <d>');
  });

  it('is well-formed and valid for any gate, message and model name, keeping the gate text', async () => {
    const awkward = fc.oneof(
      fc.constantFrom(
        ']]>',
        '"',
        "'",
        '&',
        '<',
        '>',
        '\u0000',
        '\u001f',
        '\t',
        '\n',
        '\r',
        '\uFFFE',
        '\uD800',
        '\uDC00',
        '😀',
        '\u2028',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const text = fc.string({ unit: awkward, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(text, text, fc.boolean(), text, async (gateText, message, passed, model) => {
        const xml = renderJUnit(withGates([gate(gateText, passed, message)], model));
        const result = await runXmllint(xml, {
          schema: JUNIT_XSD,
          xpath: 'string(//testcase/@name)',
        });
        expect(result.stderr).toContain('validates');
        expect(result.stdout).toBe(removeNonXmlChars(gateText));
        expect((await runXmllint(xml, { schema: JUNIT_ANT_XSD })).ok).toBe(true);
      }),
      { numRuns: 60, seed: 20260304 },
    );
  });
});
