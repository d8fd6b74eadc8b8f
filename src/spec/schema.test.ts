import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parsePipeline } from './pipeline.js';
import { validatePipeline } from './generated/schema-validators.js';
import { readPipelineSchema } from './schema-validate.js';
import { loadValidatorGenerator } from './validator-generator.testing.js';

/** The example weft.yaml of PRODUCT.md ("Shape of the user's repository"), verbatim. */
const PRODUCT_EXAMPLE = `# weft.yaml
apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: credit }
spec:
  params: params.yaml
  stages:
    prepare:
      cmd: node src/prepare.mjs
      deps: [data/raw.csv, src/prepare.mjs]
      params: [prepare]
      outs: [data/train.csv, data/test.csv]
    train:
      cmd: node src/train.mjs
      deps: [data/train.csv, src/train.mjs]
      params: [train]
      outs: [model/model.onnx]
  model:
    name: credit
    artifact: model/model.onnx
  evaluation:
    dataset: data/test.csv
    label: approved
    sensitive: [sex]
  gates:
    - { metric: accuracy, min: 0.80 }
    - { metric: accuracy, noWorseThan: production, tolerance: 0.01 }
    - { metric: demographic_parity_difference, max: 0.10 }
`;

type Schema = Record<string, unknown>;

/** Every subschema that describes a named property, with its dotted location in the schema. */
function collectProperties(schema: Schema, at = ''): [string, Schema][] {
  const out: [string, Schema][] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [name, sub] of Object.entries(properties)) {
    out.push([`${at}${name}`, sub], ...collectProperties(sub, `${at}${name}.`));
  }
  const definitions = (schema.definitions ?? {}) as Record<string, Schema>;
  for (const [name, sub] of Object.entries(definitions))
    out.push(...collectProperties(sub, `#${name}.`));
  return out;
}

function collectObjectSchemas(node: unknown, out: Schema[] = []): Schema[] {
  if (typeof node !== 'object' || node === null) return out;
  const schema = node as Schema;
  if (schema.type === 'object' && schema.properties !== undefined) out.push(schema);
  for (const value of Object.values(schema)) collectObjectSchemas(value, out);
  return out;
}

describe('schema/pipeline.schema.json', () => {
  const schema = readPipelineSchema();

  it('is a valid draft-07 schema that ajv compiles in strict mode', async () => {
    const ajv = (await loadValidatorGenerator()).createAjv();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://weft.dev/schema/pipeline.schema.json');
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('gives every property a title and a description, for editor completion', () => {
    const properties = collectProperties(schema);
    expect(properties.length).toBeGreaterThan(30);
    for (const [name, sub] of properties) {
      expect(sub.title, `${name} title`).toEqual(expect.any(String));
      expect(sub.description, `${name} description`).toEqual(expect.any(String));
    }
  });

  it('closes every object with fixed keys (additionalProperties: false)', () => {
    const objects = collectObjectSchemas(schema);
    expect(objects.length).toBeGreaterThanOrEqual(6);
    for (const object of objects)
      expect(object.additionalProperties, String(object.title)).toBe(false);
  });

  it('accepts the PRODUCT.md example, directly and through parsePipeline', () => {
    const document: unknown = parseDocument(PRODUCT_EXAMPLE).toJS();
    expect(validatePipeline(document), JSON.stringify(validatePipeline.errors)).toBe(true);
    const pipeline = parsePipeline(PRODUCT_EXAMPLE, 'weft.yaml', '/repo');
    expect(pipeline.stages.map((s) => s.name)).toEqual(['prepare', 'train']);
    expect(pipeline.gates).toHaveLength(3);
  });
});
