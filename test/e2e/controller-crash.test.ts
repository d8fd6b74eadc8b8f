import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import {
  createDeployedExampleRepo,
  git,
  penguinsDeployment,
  type ExampleRepo,
} from '../utils/example-repo.js';
import { startWeft, weft, type WeftProcess } from '../utils/weft-cli.js';
import { inferPenguin } from '../utils/weft-up.js';

const SEEDS = 20;
const PENGUIN = [45, 17, 200, 4000, 1, 0, 0];
const DEPLOYMENT = (version: number): string =>
  penguinsDeployment(
    version,
    `  strategy: { type: canary, canary: { steps: [50, 100], interval: 1s, maxFailedChecks: 3 } }
  analysis: { minRequests: 3, maxErrorRate: 0.5, maxP99LatencyRatio: null, maxPredictionDrift: null, maxInputDrift: null }
`,
  );

async function killGroup(started: WeftProcess): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = once(started.child, 'exit');
  process.kill(-Number(started.child.pid), 'SIGKILL');
  await exited;
}

function lastEvent(output: string): string {
  return [...output.matchAll(/\] (\w+): /g)].at(-1)?.[1] ?? 'start-up';
}

/** What is served and what the controller's status says, in one comparable value. */
async function liveState(dir: string, base: string) {
  const index = (await (
    await fetch(`${base}/v2/repository/index`, { method: 'POST' })
  ).json()) as Array<{ name: string; version: string }>;
  const traffic: unknown = await (await fetch(`${base}/v2/models/penguins/traffic`)).json();
  const [deployment] = JSON.parse((await weft(dir, ['deployments', '--json'])).stdout) as Array<{
    conditions: Array<{ type: string; status: string }>;
    lastAppliedRevision: string;
  }>;
  return {
    loaded: index.map((e) => `${e.name}@${e.version}`),
    traffic,
    ready: deployment?.conditions.find((c) => c.type === 'Ready')?.status,
    lastAppliedRevision: deployment?.lastAppliedRevision,
  };
}

/** Inference requests, two at a time, until stopped; counts answers that were not 200. */
function startLoad(base: string) {
  let stopped = false;
  let sent = 0;
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (!stopped) {
      sent++;
      try {
        const response = await inferPenguin(base, PENGUIN);
        const body = await response.text();
        if (response.status !== 200) failures.push(`${response.status} ${body}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const workers = [worker(), worker()];
  return {
    failures,
    sent: () => sent,
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

/**
 * The controller (`weft up --server`) is killed with SIGKILL at seeded random moments: while
 * building, registering, loading, mid-canary. The model server it drives (`weft serve`) keeps
 * answering; each restart carries on from the status in the metadata store.
 */
describe('a controller killed at random points', () => {
  let repo: ExampleRepo;
  let serve: WeftProcess;
  let base = '';
  let controller: WeftProcess | undefined;
  let token = '';

  // A new model (a params change); deploy/ names it once it is in the registry.
  const trainAnother = async (step: number): Promise<void> => {
    const params = join(repo.dir, 'params.yaml');
    const text = await readFile(params, 'utf8');
    await writeFile(params, text.replace(/lr: [\d.]+ /, `lr: ${(0.1 - step * 0.01).toFixed(2)} `));
    await git(repo.dir, 'commit', '-qam', `train with step ${step}`);
  };
  const registered = async () =>
    (
      JSON.parse((await weft(repo.dir, ['models', 'versions', 'penguins', '--json'])).stdout) as {
        versions: Array<{ version: number; digest: string; commit: string | null }>;
      }
    ).versions;
  const deploy = async (version: number): Promise<void> => {
    await writeFile(join(repo.dir, 'deploy/penguins.yaml'), DEPLOYMENT(version));
    await git(repo.dir, 'commit', '-qam', `deploy penguins@${version}`);
  };
  const startController = (): WeftProcess =>
    startWeft(repo.dir, ['up', '--server', base, '--port', '0', '--interval', '1s'], {
      detached: true,
      env: { WEFT_TOKEN: token },
    });

  beforeAll(async () => {
    repo = await createDeployedExampleRepo(DEPLOYMENT(1), 'deploy penguins@1');
    // With a token in the store, only a deploy token may load, unload and move traffic.
    token = (
      await weft(repo.dir, ['token', 'create', 'controller', '--scope', 'deploy'])
    ).stdout.trim();
    serve = startWeft(repo.dir, ['serve', '--empty', '--port', '0', '--log-level', 'warn'], {
      detached: true,
    });
    base = (await serve.waitFor(/serving no model yet at (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
  }, 60_000);

  afterAll(async () => {
    if (controller) await killGroup(controller);
    await killGroup(serve);
    await repo.cleanup();
  });

  it(`converges after ${SEEDS} kills with no failed request and no duplicate version`, async () => {
    controller = startController();
    await controller.waitFor(/Applied: ModelDeployment\/penguins: serving penguins@1/);
    await killGroup(controller);
    const load = startLoad(base);
    const random = new Random(20261127);
    let deployed = 1;
    const killedAfter: string[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      if (seed % 5 === 0) await trainAnother(seed / 5 + 1);
      const newest = (await registered())[0]?.version ?? 1;
      if (newest > deployed) await deploy((deployed = newest));
      controller = startController();
      await controller.waitFor(/weft up: driving the model server/);
      await new Promise((r) => setTimeout(r, random.int(3000)));
      await killGroup(controller);
      killedAfter.push(lastEvent(controller.output()));
    }
    // Where the kills landed (the last event each controller told before it died).
    console.log(`controller killed after: ${killedAfter.join(', ')}`);
    // Whatever the kills interrupted, a last model gets built, and deployed once it is.
    await trainAnother(SEEDS / 5 + 1);
    controller = startController();
    const head = (await git(repo.dir, 'rev-parse', 'HEAD')).trim();
    await expect
      .poll(async () => (await registered()).some((v) => v.commit === head), { timeout: 60_000 })
      .toBe(true);
    const last = (await registered())[0]?.version ?? 0;
    if (last > deployed) await deploy(last);
    const tip = (await git(repo.dir, 'rev-parse', 'HEAD')).trim();
    await expect
      .poll(() => liveState(repo.dir, base), { timeout: 120_000, interval: 500 })
      .toEqual({
        loaded: [`penguins@${last}`],
        traffic: { weights: { [String(last)]: 1 } },
        ready: 'True',
        lastAppliedRevision: `main@sha1:${tip}`,
      });
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.sent()).toBeGreaterThan(100);

    // Each built commit registered its model once: versions 1..n, no digest twice.
    const versions = await registered();
    expect(versions.map((v) => v.version).reverse()).toEqual(
      Array.from({ length: last }, (_, i) => i + 1),
    );
    expect(last).toBeGreaterThanOrEqual(3);
    expect(new Set(versions.map((v) => v.digest)).size).toBe(versions.length);
    expect((await weft(repo.dir, ['audit', 'verify'])).stdout).toMatch(/audit log intact/);
  }, 300_000);
});
