import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleRepo, type ExampleRepo } from '../utils/example-repo.js';
import { weft, WEFT_BIN } from '../utils/weft-cli.js';

const TOY_SERVER = resolve(import.meta.dirname, '../fixtures/external-runtime/toy_oip_server.py');

/** The request the OIP spec's examples show, for the penguins model. */
const ADELIE = {
  id: 'first-penguin',
  inputs: [
    { name: 'features', shape: [1, 7], datatype: 'FP32', data: [39.1, 18.7, 181, 3750, 0, 0, 1] },
  ],
};

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('weft serve on the bundled example', () => {
  let repo: ExampleRepo;
  let server: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    repo = await createExampleRepo();
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
    const params = join(repo.dir, 'params.yaml');
    await writeFile(params, (await readFile(params, 'utf8')).replace('lr: 0.1 ', 'lr: 0.05 '));
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
    server = spawn(
      process.execPath,
      [
        WEFT_BIN,
        'serve',
        'penguins@1',
        'penguins@2',
        '--traffic',
        'penguins@1=90,penguins@2=10',
        '--external',
        `toy@1=/usr/bin/python3 ${TOY_SERVER}`,
        '--port',
        '0',
        '--log-level',
        'warn',
      ],
      { cwd: repo.dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (
      !/serving penguins .* at (http:\/\/127\.0\.0\.1:\d+)/.test(output) &&
      Date.now() < deadline
    ) {
      if (server.exitCode !== null) throw new Error(`weft serve exited: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    base = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    expect(base, output).not.toBe('');
  }, 60_000);

  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await repo.cleanup();
  });

  it('answers an OIP request as the spec shows, from the registry version the split picks', async () => {
    const answer = await post(`${base}/v2/models/penguins/versions/1/infer`, ADELIE);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      model_name: 'penguins',
      model_version: '1',
      id: 'first-penguin',
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [1, 3] },
        { name: 'label', datatype: 'INT64', shape: [1], data: [0] },
      ],
    });
  });

  it('shows the 90/10 canary split in /metrics, and feedback moves online accuracy', async () => {
    for (let i = 0; i < 20; i++)
      await post(`${base}/v2/models/penguins/infer`, { ...ADELIE, id: `r${i}` });
    const feedback = await post(`${base}/v2/models/penguins/feedback`, {
      id: 'r0',
      label: 'Adelie',
    });
    expect(feedback).toMatchObject({ status: 200, body: { matched: true, correct: 1, total: 1 } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('weft_traffic_weight{model="penguins",version="1"} 0.9');
    expect(metrics).toContain('weft_traffic_weight{model="penguins",version="2"} 0.1');
    expect(metrics).toMatch(/weft_online_accuracy\{model="penguins",version="[12]"\} 1/);
    const served = [
      ...metrics.matchAll(
        /weft_inference_requests_total\{model="penguins",version="[12]",status="200"\} (\d+)/g,
      ),
    ];
    expect(served.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(21);
  });

  it('reports input drift per feature against the evaluation data', async () => {
    const evidence = (await (
      await fetch(`${base}/v2/models/penguins/versions/1/evidence`)
    ).json()) as {
      inputDrift: { features: Record<string, { drifted: boolean }> };
    };
    expect(Object.keys(evidence.inputDrift.features)).toContain('bill_length_mm');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /weft_input_drifted\{model="penguins",version="1",feature="bill_length_mm"\} [01]/,
    );
  });

  it('routes a model served by an external process', async () => {
    const answer = await post(`${base}/v2/models/toy/infer`, {
      inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      model_name: 'toy',
      outputs: [
        { name: 'sum', data: [3, 7] },
        { name: 'echo', data: [1, 2, 3, 4] },
      ],
    });
    const bad = await post(`${base}/v2/models/toy/infer`, {
      inputs: [{ name: 'y', shape: [1], datatype: 'FP32', data: [1] }],
    });
    expect(bad.status).toBe(400);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('draining');
  });
});
