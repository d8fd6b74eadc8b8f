import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStandardWebhook } from '../../src/controller/notify/index.js';
import {
  createDeployedExampleRepo,
  git,
  penguinsDeployment,
  type ExampleRepo,
} from '../utils/example-repo.js';
import { weft, type WeftProcess } from '../utils/weft-cli.js';
import { inferPenguin, postJson, sendWebhook, startWeftUp } from '../utils/weft-up.js';
import {
  GITHUB_TEST_TOKEN,
  startFakeGitHub,
  type FakeGitHub,
} from '../../src/git-hosts/fake-github.testing.js';

const SECRET = 'it is a secret to everybody';
const NOTIFY_SECRET = `whsec_${Buffer.from('weft notifications secret!').toString('base64')}`;
const PUSH = { ref: 'refs/heads/main' };

describe('weft up on the bundled example', () => {
  let secret = '';
  let repo: ExampleRepo;
  let up: ChildProcess;
  let base = '';
  let waitFor: WeftProcess['waitFor'];
  let receiver: Server;
  const deliveries: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  const runCount = async (): Promise<number> =>
    (JSON.parse((await weft(repo.dir, ['runs', '--json'])).stdout) as { runs: unknown[] }).runs
      .length;
  const servedVersions = async (): Promise<string[]> => {
    const metadata = (await (await fetch(`${base}/v2/models/penguins`)).json()) as {
      versions: string[];
    };
    return metadata.versions;
  };

  beforeAll(async () => {
    repo = await createDeployedExampleRepo(penguinsDeployment(1), 'deploy penguins@1');
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        deliveries.push({ headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    ({
      child: up,
      base,
      waitFor,
    } = await startWeftUp(repo.dir, {
      env: {
        WEFT_WEBHOOK_SECRET: SECRET,
        WEFT_NOTIFY_WEBHOOK_URL: notifyUrl,
        WEFT_NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET,
      },
    }));
  }, 60_000);

  afterAll(async () => {
    if (up.exitCode === null) up.kill('SIGKILL');
    receiver.close();
    await repo.cleanup();
  });

  it('builds the first revision and serves what deploy/ declares', async () => {
    await waitFor(/Applied: ModelDeployment\/penguins: serving penguins@1/);
    expect(await servedVersions()).toEqual(['1']);
  });

  it('serves the control-plane API, to a token only', async () => {
    const created = await weft(repo.dir, ['token', 'create', 'e2e', '--scope', 'deploy']);
    expect(created.code, created.stderr).toBe(0);
    secret = created.stdout.trim();
    expect((await fetch(`${base}/api/v1/deployments`)).status).toBe(401);
    const response = await fetch(`${base}/api/v1/deployments`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Array<{ name: string }> };
    expect(items.map((d) => d.name)).toEqual(['penguins']);
  });

  it('sends each event as a signed Standard Webhook', async () => {
    await expect.poll(() => deliveries.length).toBeGreaterThan(0);
    const applied = deliveries.find((d) => d.body.includes('"Applied"'));
    expect(applied, JSON.stringify(deliveries)).toBeDefined();
    const verdict = verifyStandardWebhook(
      NOTIFY_SECRET,
      applied?.headers ?? {},
      applied?.body ?? '',
    );
    expect(verdict.ok).toBe(true);
    expect(JSON.parse(applied?.body ?? '{}')).toMatchObject({
      type: 'Applied',
      data: { object: { kind: 'ModelDeployment', name: 'penguins' } },
    });
  });

  it('rolls out a pushed change as soon as a signed webhook arrives', async () => {
    const params = join(repo.dir, 'params.yaml');
    await writeFile(params, (await readFile(params, 'utf8')).replace('lr: 0.1 ', 'lr: 0.05 '));
    await writeFile(join(repo.dir, 'deploy/penguins.yaml'), penguinsDeployment(2));
    await git(repo.dir, 'commit', '-qam', 'train with lr 0.05 and deploy it');
    expect((await sendWebhook(base, PUSH)).status).toBe(401);
    const hook = await sendWebhook(base, PUSH, { secret: SECRET, delivery: 'd-1' });
    expect(await hook.json()).toMatchObject({ ok: true, triggered: true });
    await waitFor(/Applied: ModelDeployment\/penguins: serving penguins@2/);
    expect(await servedVersions()).toEqual(['2']);
  });

  it('heals a change made by hand (with a deploy token) to what is served', async () => {
    const load = `${base}/v2/repository/models/penguins/load`;
    expect(await postJson(load, { parameters: { version: '1' } })).toBe(401);
    expect(await postJson(load, { parameters: { version: '1' } }, 'POST', secret)).toBe(200);
    const traffic = `${base}/v2/models/penguins/traffic`;
    expect(await postJson(traffic, { weights: { '1': 1 } }, 'PUT', secret)).toBe(200);
    await sendWebhook(base, {}, { secret: SECRET, delivery: 'd-2' });
    await waitFor(/DriftHealed: ModelDeployment\/penguins: .*restored penguins@2/);
    expect(await servedVersions()).toEqual(['2']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('weft_deployment_condition{deployment="penguins",type="Ready"} 1');
    expect(metrics).toContain('weft_deployment_condition{deployment="penguins",type="Drifted"} 0');
  });

  it('alerts when live inputs drift from the evaluation data, and opens a retrain run', async () => {
    const runsBefore = await runCount();
    await writeFile(
      join(repo.dir, 'deploy/penguins.yaml'),
      penguinsDeployment(2, '  retrain: { onInputDrift: true, cooldown: 1h }\n'),
    );
    await git(repo.dir, 'commit', '-qam', 'retrain penguins when its inputs drift');
    for (let i = 0; i < 30; i++) {
      const response = await inferPenguin(base, [60, 25, 240, 7000, 1, 0, 0]);
      expect(response.status).toBe(200);
    }
    await sendWebhook(base, PUSH, { secret: SECRET, delivery: 'd-3' });
    await waitFor(
      /InputDrift: ModelDeployment\/penguins: live inputs of penguins@2 drifted .*bill_length_mm/,
    );
    await waitFor(/RetrainStarted: ModelDeployment\/penguins: live inputs drifted/);
    // Same data, same deterministic training: the retrain makes the model already registered.
    await waitFor(/Retrained: ModelDeployment\/penguins: retrain built penguins@2/);
    const runsAfter = await runCount();
    expect(runsAfter).toBeGreaterThan(runsBefore);
  });

  it('stops cleanly and leaves an intact audit log', async () => {
    up.kill('SIGTERM');
    const [code] = (await once(up, 'exit')) as [number | null];
    expect(code).toBe(0);
    const verify = await weft(repo.dir, ['audit', 'verify']);
    expect(verify.stdout).toMatch(/audit log intact: [3-9] entries/);
    const audit = JSON.parse((await weft(repo.dir, ['audit', '--json'])).stdout) as Array<{
      action: string;
    }>;
    expect(audit.map((e) => e.action)).toEqual([
      'deployment.retrain',
      'deployment.heal',
      'serving.traffic',
      'serving.load',
      'deployment.apply',
      'token.create',
      'deployment.apply',
    ]);
  });
});

describe('weft up rolling out a canary that fails its analysis', () => {
  let repo: ExampleRepo;
  let up: ChildProcess;
  let github: FakeGitHub;
  let base = '';
  let waitFor: WeftProcess['waitFor'];
  const CANARY = (version: number): string =>
    penguinsDeployment(
      version,
      `  strategy: { type: canary, canary: { steps: [50, 100], interval: 2s, maxFailedChecks: 1 } }
  analysis: { minRequests: 3, minOnlineAccuracy: 0.9, maxErrorRate: null, maxP99LatencyRatio: null, maxPredictionDrift: null, maxInputDrift: null }
`,
    );

  beforeAll(async () => {
    repo = await createDeployedExampleRepo(CANARY(1), 'deploy penguins@1 by canary');
    github = await startFakeGitHub(GITHUB_TEST_TOKEN);
    ({
      child: up,
      base,
      waitFor,
    } = await startWeftUp(repo.dir, {
      env: {
        WEFT_WEBHOOK_SECRET: SECRET,
        GITHUB_TOKEN: GITHUB_TEST_TOKEN,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'octo/weft-demo',
      },
      flags: ['--commit-status', 'github'],
    }));
  }, 60_000);

  afterAll(async () => {
    await github.close();
    if (up.exitCode === null) up.kill('SIGKILL');
    await repo.cleanup();
  });

  it('rolls back to the primary within an interval and proposes the revert in Git', async () => {
    await waitFor(/Applied: ModelDeployment\/penguins: serving penguins@1/);
    const params = join(repo.dir, 'params.yaml');
    await writeFile(params, (await readFile(params, 'utf8')).replace('lr: 0.1 ', 'lr: 0.05 '));
    await writeFile(join(repo.dir, 'deploy/penguins.yaml'), CANARY(2));
    await git(repo.dir, 'commit', '-qam', 'canary penguins@2');
    await sendWebhook(base, {}, { secret: SECRET });
    await waitFor(/CanaryStarted: ModelDeployment\/penguins: canary penguins@2 takes 50%/);
    for (let i = 0; i < 5; i++) {
      const response = await inferPenguin(base, [39.1, 18.7, 181, 3750, 0, 0, 1], {
        id: `c${i}`,
        version: '2',
      });
      expect(response.status).toBe(200);
      // The true label says the canary was wrong every time.
      expect(
        await postJson(`${base}/v2/models/penguins/feedback`, { id: `c${i}`, label: 'Gentoo' }),
      ).toBe(200);
    }
    await waitFor(
      /RolledBack: ModelDeployment\/penguins: canary penguins@2 rolled back .*onlineAccuracy 0 < 0\.9/,
    );
    await waitFor(/RevertProposed: ModelDeployment\/penguins: pushed weft\/revert-[0-9a-f]{12}/);
    const metadata = (await (await fetch(`${base}/v2/models/penguins`)).json()) as {
      versions: string[];
    };
    expect(metadata.versions).toEqual(['1']);
    const branches = await git(repo.dir, 'branch', '--list', 'weft/revert-*');
    expect(branches.trim()).toMatch(/^weft\/revert-[0-9a-f]{12}$/);
    const reverted = await git(repo.dir, 'show', `${branches.trim()}:deploy/penguins.yaml`);
    expect(reverted).toContain('version: 1');
  });

  it('set the commit statuses on GitHub: applied, canary pending, rolled back', async () => {
    const [first, second] = (await git(repo.dir, 'rev-list', '--reverse', 'HEAD'))
      .trim()
      .split('\n')
      .slice(-2);
    await expect
      .poll(() =>
        github.statuses.map(
          (s) => `${String(s.sha).slice(0, 7)} ${String(s.state)} ${String(s.context)}`,
        ),
      )
      .toEqual([
        `${first?.slice(0, 7)} success weft/deploy/penguins`,
        `${second?.slice(0, 7)} pending weft/deploy/penguins`,
        `${second?.slice(0, 7)} failure weft/deploy/penguins`,
      ]);
  });
});
