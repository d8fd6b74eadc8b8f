import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseDeployment } from './deployment.js';
import { DURATION_PATTERN } from './deployment-duration.js';
import { DEPLOYMENT_SCHEMA_ID, readDeploymentSchema } from './deployment-schema.js';
import { validateDeployment } from './generated/schema-validators.js';
import { loadValidatorGenerator } from './validator-generator.testing.js';

/** Every key the schema knows, as a deploy file would set it. */
const EXAMPLE = `# yaml-language-server: $schema=https://weft.dev/schema/model-deployment.schema.json
apiVersion: weft.dev/v1
kind: ModelDeployment
metadata:
  name: penguins
  labels: { team: birds }
  annotations: { owner: ml-platform }
spec:
  model:
    name: penguins
    follow: { branch: main, passedGates: true }
    version: 3
  runtime:
    kind: external
    command: [/usr/bin/python3, server.py, --port, '{port}']
    env: { OMP_NUM_THREADS: '1' }
  strategy:
    type: canary
    canary: { steps: [10, 25, 50, 100], interval: 30s, maxFailedChecks: 2 }
  analysis:
    minRequests: 20
    maxErrorRate: 0.01
    maxP99LatencyMs: 50
    maxP99LatencyRatio: 1.5
    minOnlineAccuracy: 0.9
    maxInputDrift: { psi: 0.2, jensenShannon: 0.1 }
    maxPredictionDrift: 0.1
    minShadowAgreement: 0.98
  batching: { maxBatchSize: 32, maxLatencyMs: 5 }
  selfHeal: true
  suspend: false
  retrain: { onInputDrift: true, cooldown: 6h }
`;

type Schema = Record<string, unknown>;

/** Every subschema that describes a named property, with its dotted location in the schema. */
function collectProperties(schema: Schema, at = ''): [string, Schema][] {
  const out: [string, Schema][] = [];
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    out.push([`${at}${name}`, sub], ...collectProperties(sub, `${at}${name}.`));
  }
  return out;
}

/** Objects with fixed keys, `["object", "null"]` ones included. */
function collectObjectSchemas(node: unknown, out: Schema[] = []): Schema[] {
  if (typeof node !== 'object' || node === null) return out;
  const schema = node as Schema;
  const types = [schema.type].flat();
  if (types.includes('object') && schema.properties !== undefined) out.push(schema);
  for (const value of Object.values(schema)) collectObjectSchemas(value, out);
  return out;
}

describe('schema/model-deployment.schema.json', () => {
  const schema = readDeploymentSchema();

  it('is a valid draft-07 schema that ajv compiles in strict mode', async () => {
    const ajv = (await loadValidatorGenerator()).createAjv();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(DEPLOYMENT_SCHEMA_ID);
    expect(DEPLOYMENT_SCHEMA_ID).toBe('https://weft.dev/schema/model-deployment.schema.json');
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('gives every property a title and a description, for editor completion', () => {
    const properties = collectProperties(schema);
    expect(properties.length).toBeGreaterThan(40);
    for (const [name, sub] of properties) {
      expect(sub.title, `${name} title`).toEqual(expect.any(String));
      expect(sub.description, `${name} description`).toEqual(expect.any(String));
    }
  });

  it('closes every object with fixed keys (additionalProperties: false)', () => {
    const objects = collectObjectSchemas(schema);
    expect(objects.length).toBeGreaterThanOrEqual(12);
    for (const object of objects)
      expect(object.additionalProperties, String(object.title)).toBe(false);
  });

  it('uses the duration pattern weft parses with', () => {
    const duration = (schema.definitions as Record<string, Schema>).duration;
    expect(duration?.pattern).toBe(DURATION_PATTERN.source);
  });

  it('accepts a document using every key, directly and through parseDeployment', () => {
    const document: unknown = parseDocument(EXAMPLE).toJS();
    expect(validateDeployment(document), JSON.stringify(validateDeployment.errors)).toBe(true);
    const deployment = parseDeployment(EXAMPLE, 'deploy/penguins.yaml');
    expect(deployment.spec.model.follow).toEqual({ branch: 'main', passedGates: true });
  });

  it('states the key rules editors can check: one selector, a command for external', () => {
    const check = (edit: (text: string) => string): boolean =>
      validateDeployment(parseDocument(edit(EXAMPLE)).toJS());
    expect(check((t) => t.replace('version: 3', 'alias: production'))).toBe(false);
    expect(check((t) => t.replace('version: 3', 'digest: sha256:' + '0'.repeat(64)))).toBe(false);
    expect(check((t) => t.replace(/ {4}command: .*\n/, ''))).toBe(false);
    expect(check((t) => t.replace('kind: external', 'kind: onnx'))).toBe(false);
  });
});
