/**
 * Test helper: checks documents with libxml2's xmllint, the same parser and XSD validator most
 * CI systems' JUnit importers are built on. A missing xmllint fails the test instead of skipping
 * it, so a machine without it cannot pass the XML checks by accident.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const XMLLINT = '/usr/bin/xmllint';

export const JUNIT_XSD = resolve(import.meta.dirname, '../../test/fixtures/junit/junit.xsd');
export const JUNIT_ANT_XSD = resolve(
  import.meta.dirname,
  '../../test/fixtures/junit/junit-ant.xsd',
);

export interface XmllintResult {
  ok: boolean;
  /** What an XPath expression selected, when one was given (without the newline xmllint adds). */
  stdout: string;
  stderr: string;
}

export interface XmllintOptions {
  schema?: string;
  xpath?: string;
}

/** Well-formedness always; validity against `schema` when given. */
export async function runXmllint(
  xml: string,
  options: XmllintOptions = {},
): Promise<XmllintResult> {
  await access(XMLLINT).catch(() => {
    throw new Error(
      `${XMLLINT} is missing: install the Debian package libxml2-utils (apt-get install libxml2-utils)`,
    );
  });
  const dir = await mkdtemp(join(tmpdir(), 'weft-xmllint-'));
  try {
    const file = join(dir, 'document.xml');
    await writeFile(file, xml, 'utf8');
    const args = [
      ...(options.schema ? ['--schema', options.schema] : []),
      ...(options.xpath ? ['--xpath', options.xpath] : ['--noout']),
      file,
    ];
    return await promisify(execFile)(XMLLINT, args, { encoding: 'utf8' }).then(
      ({ stdout, stderr }) => ({ ok: true, stdout: stdout.replace(/\n$/, ''), stderr }),
      (error: Error & { stdout?: string; stderr?: string }) => ({
        ok: false,
        stdout: error.stdout ?? '',
        stderr: error.stderr || error.message,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
