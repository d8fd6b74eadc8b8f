import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { OIP_SCHEMAS, type OipSchemaName } from './oip/index.js';
import type { ModelServer } from './server.js';
import {
  classifierModel,
  linearModel,
  loadVersion,
  postJson,
  rowRequest,
  startTestServer,
} from './testing.js';

const ajv = new Ajv({ allErrors: true });
function expectSchema(name: OipSchemaName, body: unknown): void {
  const validate = ajv.getSchema(name) ?? ajv.addSchema(OIP_SCHEMAS[name], name).getSchema(name);
  expect(validate?.(body), JSON.stringify(validate?.errors)).toBe(true);
}

let running: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

async function serve(...args: Parameters<typeof startTestServer>) {
  const started = await startTestServer(...args);
  running.push(started.server);
  return started;
}

describe('the OIP v2 endpoints', () => {
  it('answers health, server and model metadata as the spec shapes them', async () => {
    const { url } = await serve([await loadVersion('line', '1', linearModel(1))]);
    expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    const server: unknown = await (await fetch(`${url}/v2`)).json();
    expectSchema('metadata_server_response', server);
    expect(server).toMatchObject({ name: 'weft' });
    expect((server as { extensions: string[] }).extensions).toContain('model_repository');
    const model: unknown = await (await fetch(`${url}/v2/models/line/versions/1`)).json();
    expectSchema('metadata_model_response', model);
    expect(model).toMatchObject({
      name: 'line',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 2] }],
    });
    expect((await fetch(`${url}/v2/models/line/versions/1/ready`)).status).toBe(200);
    expect((await fetch(`${url}/v2/models/line/versions/9/ready`)).status).toBe(404);
  });

  it('infers, echoing the id, and assigns one when the request has none', async () => {
    const { url } = await serve([await loadVersion('line', '1', linearModel(2))]);
    const named = await postJson(`${url}/v2/models/line/infer`, rowRequest(1, 2, 'req-7'));
    expect(named.status).toBe(200);
    expectSchema('inference_response', named.body);
    expect(named.body).toEqual({
      model_name: 'line',
      model_version: '1',
      id: 'req-7',
      outputs: [{ name: 'variable', datatype: 'FP32', shape: [1, 1], data: [6] }],
    });
    const anonymous = await postJson(`${url}/v2/models/line/versions/1/infer`, rowRequest(1, 1));
    const id = (anonymous.body as { id: string }).id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(anonymous.headers.get('x-request-id')).toBe(id);
  });

  it('gives every bad input its exact 4xx with {"error": ...}', async () => {
    const { url } = await serve([await loadVersion('line', '1', linearModel(1))], {
      bodyLimitBytes: 1024,
    });
    const infer = `${url}/v2/models/line/infer`;
    const cases: Array<[unknown, number, string]> = [
      [{ inputs: [] }, 400, 'input "features"'],
      ['{"inputs": [', 400, 'JSON'],
      [
        { inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP64', data: [1, 2] }] },
        400,
        'FP64',
      ],
      [
        { inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] },
        400,
        'shape',
      ],
      [
        { inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [1, 'x'] }] },
        400,
        'features',
      ],
      ['x'.repeat(2000), 413, ''],
    ];
    for (const [body, status, text] of cases) {
      const answer = await postJson(infer, body);
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expectSchema('error_response', answer.body);
      expect((answer.body as { error: string }).error).toContain(text);
    }
    const unknown = await postJson(`${url}/v2/models/nope/infer`, rowRequest(1, 1));
    expect(unknown).toMatchObject({ status: 404, body: { error: 'model "nope" is not loaded' } });
  });
});

describe('traffic', () => {
  it('splits by weight, pins by header, and publishes the split in /metrics', async () => {
    let draw = 0;
    const { url, server } = await serve(
      [
        await loadVersion('line', '1', linearModel(1)),
        await loadVersion('line', '2', linearModel(10)),
      ],
      { random: () => (draw++ % 10) / 10 },
    );
    server.setTraffic('line', {
      weights: [
        { version: '1', weight: 90 },
        { version: '2', weight: 10 },
      ],
    });
    const versions: string[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await postJson(`${url}/v2/models/line/infer`, rowRequest(1, 1));
      versions.push((answer.body as { model_version: string }).model_version);
    }
    expect(versions.filter((v) => v === '2')).toHaveLength(2);
    const pinned = await postJson(`${url}/v2/models/line/infer`, rowRequest(1, 1), {
      'weft-model-version': '2',
    });
    expect(pinned.body).toMatchObject({ model_version: '2' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('weft_traffic_weight{model="line",version="1"} 0.9');
    expect(metrics).toContain('weft_traffic_weight{model="line",version="2"} 0.1');
    expect(metrics).toContain(
      'weft_inference_requests_total{model="line",version="2",status="200"} 3',
    );
  });

  it('never lets the shadow change the answer, and records how it compares', async () => {
    const { url, server } = await serve([
      await loadVersion('line', '1', linearModel(1)),
      await loadVersion('line', '2', linearModel(3)),
    ]);
    server.setTraffic('line', { weights: [{ version: '1', weight: 1 }], shadow: '2' });
    for (let i = 0; i < 5; i++) {
      const answer = await postJson(`${url}/v2/models/line/infer`, rowRequest(i, 1));
      expect(answer.body).toMatchObject({ model_version: '1', outputs: [{ data: [i + 1] }] });
    }
    await expect
      .poll(async () => (await fetch(`${url}/metrics`)).text())
      .toContain('weft_shadow_requests_total{model="line",version="2",outcome="disagree"} 5');
  });
});

describe('feedback and evidence', () => {
  it('turns feedback into online accuracy per version', async () => {
    const { url } = await serve([
      await loadVersion('cls', '1', classifierModel(), { classes: ['no', 'yes'] }),
    ]);
    const infer = `${url}/v2/models/cls/infer`;
    const answers = [
      await postJson(infer, rowRequest(0, 5, 'a')),
      await postJson(infer, rowRequest(5, 0, 'b')),
    ];
    const labels = answers.map(
      (a) => (a.body as { outputs: Array<{ name: string; data: number[] }> }).outputs,
    );
    expect(labels.map((o) => o.find((x) => x.name === 'label')?.data[0])).toEqual([0, 1]);
    const feedback = `${url}/v2/models/cls/feedback`;
    expect((await postJson(feedback, { id: 'a', label: 'no' })).status).toBe(200);
    expect((await postJson(feedback, { id: 'b', label: 0 })).status).toBe(200);
    expect(await postJson(feedback, { id: 'b', label: 1 })).toMatchObject({ status: 409 });
    expect(await postJson(feedback, { id: 'zzz', label: 1 })).toMatchObject({ status: 404 });
    const evidence = (await (await fetch(`${url}/v2/models/cls/versions/1/evidence`)).json()) as {
      onlineAccuracy: unknown;
    };
    expect(evidence.onlineAccuracy).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain(
      'weft_online_accuracy{model="cls",version="1"} 0.5',
    );
  });
});

describe('swapping versions under load', () => {
  it('fails no request while versions are loaded, switched and unloaded 50 times', async () => {
    const { url, server } = await serve([await loadVersion('line', '0', linearModel(1))]);
    let stop = false;
    const statuses = new Map<number, number>();
    const client = async (): Promise<void> => {
      while (!stop) {
        const { status } = await postJson(`${url}/v2/models/line/infer`, rowRequest(1, 2));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    for (let swap = 1; swap <= 50; swap++) {
      const previous = String(swap - 1);
      server.load(await loadVersion('line', String(swap), linearModel(swap + 1)));
      server.setTraffic('line', { weights: [{ version: String(swap), weight: 1 }] });
      await server.unload('line', previous);
    }
    stop = true;
    await Promise.all(clients);
    expect([...statuses.keys()]).toEqual([200]);
    expect(statuses.get(200)).toBeGreaterThan(50);
  });
});

describe('dynamic batching', () => {
  it('answers each request with its own rows when they are run as one batch', async () => {
    const { url } = await serve([await loadVersion('line', '1', linearModel(2))], {
      batching: { maxBatchSize: 8, maxLatencyMs: 50 },
    });
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        postJson(`${url}/v2/models/line/infer`, rowRequest(i, 1)),
      ),
    );
    expect(
      answers.map((a) => (a.body as { outputs: Array<{ data: number[] }> }).outputs[0]?.data),
    ).toEqual(Array.from({ length: 16 }, (_, i) => [2 * (i + 1)]));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const batches = Number(
      /weft_batch_rows_count\{model="line",version="1"\} (\d+)/.exec(metrics)?.[1],
    );
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThan(16);
    expect(metrics).toContain('weft_batch_rows_sum{model="line",version="1"} 16');
  });
});

describe('the traffic and repository endpoints', () => {
  it('moves traffic over HTTP and unloads a version that no longer takes any', async () => {
    const { url } = await serve([
      await loadVersion('line', '1', linearModel(1)),
      await loadVersion('line', '2', linearModel(10)),
    ]);
    const put = await fetch(`${url}/v2/models/line/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ weights: { '2': 1 } }),
    });
    expect(await put.json()).toEqual({ weights: { '2': 1 } });
    expect(await postJson(`${url}/v2/models/line/infer`, rowRequest(1, 1))).toMatchObject({
      body: { model_version: '2' },
    });
    const stillServing = await postJson(`${url}/v2/repository/models/line/unload`, {
      parameters: { version: '2' },
    });
    expect(stillServing.status).toBe(400);
    expect(
      (await postJson(`${url}/v2/repository/models/line/unload`, { parameters: { version: '1' } }))
        .status,
    ).toBe(200);
    const index = await postJson(`${url}/v2/repository/index`, {});
    expect(index.body).toEqual([{ name: 'line', version: '2', state: 'READY', reason: '' }]);
    const badWeights = await fetch(`${url}/v2/models/line/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ weights: { '7': 1 } }),
    });
    expect(badWeights.status).toBe(404);
  });
});
