import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, saveScreenshot } from '../utils/chromium.js';
import {
  createDeployedExampleRepo,
  git,
  penguinsDeployment,
  type ExampleRepo,
} from '../utils/example-repo.js';
import { startWeft, weft, type WeftProcess } from '../utils/weft-cli.js';
import { inferPenguin, postJson, sendWebhook, startWeftUp } from '../utils/weft-up.js';

/**
 * The dashboard in real headless Chromium against `weft up` on the bundled example: sign in
 * with a token from `weft token create`, watch a canary advance and roll back without a reload,
 * read why it rolled back, open the lineage of the model serving now, compare two runs.
 * Screenshots of each main page go to test-artifacts/screenshots/.
 */

const SECRET = 'dashboard webhook secret';
const LIVE_TIMEOUT_MS = 45_000;
const DEPLOYMENT = (version: number): string =>
  penguinsDeployment(
    version,
    `  strategy: { type: canary, canary: { steps: [25, 50, 100], interval: 2s, maxFailedChecks: 1 } }
  analysis: { minRequests: 3, minOnlineAccuracy: 0.9, maxErrorRate: null, maxP99LatencyRatio: null, maxPredictionDrift: null, maxInputDrift: null }
`,
  );
const PENGUIN = [39.1, 18.7, 181, 3750, 0, 0, 1];

describe('the dashboard on weft up', () => {
  let repo: ExampleRepo;
  let up: ChildProcess;
  let waitFor: WeftProcess['waitFor'];
  let base = '';
  let ui = '';
  let token = '';
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];
  let requestId = 0;

  /** Sends the canary (pinned) a request, then feedback that agrees with it or not. */
  const askCanary = async (correct: boolean): Promise<void> => {
    const id = `r${++requestId}`;
    const response = await inferPenguin(base, PENGUIN, { id, version: '2' });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { outputs: Array<{ name: string; data: number[] }> };
    const predicted = answer.outputs.find((o) => o.name === 'label')?.data[0] ?? 0;
    const label = correct ? predicted : (predicted + 1) % 3;
    expect(await postJson(`${base}/v2/models/penguins/feedback`, { id, label })).toBe(200);
  };

  const signedWebhook = async (delivery: string): Promise<void> => {
    const push = { ref: 'refs/heads/main' };
    expect((await sendWebhook(base, push, { secret: SECRET, delivery })).status).toBe(200);
  };

  const goTo = async (hash: string): Promise<void> => {
    await page.goto(`${ui}${hash}`);
    await page.locator('[data-page][data-ready="true"]').waitFor();
  };

  beforeAll(async () => {
    repo = await createDeployedExampleRepo(DEPLOYMENT(1), 'deploy penguins@1 by canary');
    const created = await weft(repo.dir, ['token', 'create', 'viewer', '--scope', 'read']);
    expect(created.code, created.stderr).toBe(0);
    token = created.stdout.trim();
    ({
      child: up,
      base,
      waitFor,
    } = await startWeftUp(repo.dir, { env: { WEFT_WEBHOOK_SECRET: SECRET } }));
    ui = `${base}/ui/`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = collectPageProblems(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (up?.exitCode === null) up.kill('SIGKILL');
    await repo?.cleanup();
  });

  it('serves the shell with a strict Content-Security-Policy and no inline script', async () => {
    const response = await fetch(ui);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = /src="(assets\/app-[\w-]+\.js)"/.exec(html)?.[1] ?? '';
    const asset = await fetch(new URL(script, ui));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('shows a signed-out visitor the sign-in form, and a wrong token an error', async () => {
    await goTo('#/');
    expect(await page.getAttribute('[data-page]', 'data-page')).toBe('sign-in');
    await saveScreenshot(page, 'sign-in');
    await page.fill('#token', 'weft_thisIsNotATokenAnyoneCreatedXXXXXXXXXXXXXXX');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]').waitFor();
    expect(await page.textContent('[role=alert]')).toContain('invalid token: unknown or revoked');
    expect(await page.getAttribute('[data-page]', 'data-page')).toBe('sign-in');
  });

  it('signs in with a token from weft token create and lists the deployment in sync', async () => {
    await waitFor(/Applied: ModelDeployment\/penguins: serving penguins@1/, 90_000);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.locator('[data-page="overview"][data-ready="true"]').waitFor();
    expect(await page.textContent('[data-testid=session-name]')).toBe('viewer');
    const row = page.locator('tr[data-deployment="penguins"]');
    await row.locator('[data-sync="in-sync"]').waitFor();
    expect(await row.textContent()).toContain('penguins@1');
    await saveScreenshot(page, 'overview');
  });

  it('follows a canary as it advances and rolls back, without a reload', async () => {
    await goTo('#/deployments/penguins');
    await page.evaluate(() => ((globalThis as Record<string, unknown>).weftMarker = 'same page'));
    const params = join(repo.dir, 'params.yaml');
    await writeFile(params, (await readFile(params, 'utf8')).replace('lr: 0.1 ', 'lr: 0.05 '));
    await writeFile(join(repo.dir, 'deploy/penguins.yaml'), DEPLOYMENT(2));
    await git(repo.dir, 'commit', '-qam', 'canary penguins@2');
    await signedWebhook('d-1');
    await waitFor(/CanaryStarted: ModelDeployment\/penguins: canary penguins@2 takes 25%/, 90_000);
    const badge = (state: string) => page.locator(`.page-header [data-sync="${state}"]`);
    await badge('progressing').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('[data-testid=rollout-step]', { hasText: '1' }).waitFor();
    // weft up's own dashboard reads the live server: weights, and the canary's evidence.
    await page.locator('[data-testid=weights] tr[data-version="2"]', { hasText: '25%' }).waitFor();
    await page.locator('[data-testid=live-metrics] figure.chart canvas').first().waitFor();
    await page.locator('[data-testid=timeline] li[data-kind=canary]').waitFor();
    // Answers the canary got right: its analysis passes and it takes the next step.
    for (let i = 0; i < 3; i++) await askCanary(true);
    await waitFor(/CanaryAdvanced: ModelDeployment\/penguins: canary penguins@2 now takes 50%/);
    await page.locator('[data-testid=rollout-step]', { hasText: '2' }).waitFor({
      timeout: LIVE_TIMEOUT_MS,
    });
    await page.locator('[data-testid=weights] tr[data-version="2"]', { hasText: '50%' }).waitFor();
    await saveScreenshot(page, 'deployment-progressing');
    // Then answers it got wrong: online accuracy 0 against a minimum of 0.9.
    for (let i = 0; i < 4; i++) await askCanary(false);
    await waitFor(/RolledBack: ModelDeployment\/penguins: canary penguins@2 rolled back/);
    await badge('rolled-back').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).weftMarker)).toBe(
      'same page',
    );
    const steps = await page.locator('[data-testid=timeline] li[data-kind=step]').allTextContents();
    expect(steps.some((s) => s.includes('step 2'))).toBe(true);
  });

  it('says why it rolled back: the failing check and its numbers', async () => {
    const why = page.locator('[data-testid=rollback-why]');
    await why.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await why.textContent()).toContain('onlineAccuracy 0, needs ≥ 0.9: failed');
    const failed = page.locator('[data-testid=rollback] tr[data-check=onlineAccuracy]');
    expect(await failed.textContent()).toContain('✗ failed');
    expect(await page.textContent('[data-testid=served-version]')).toContain('penguins@1');
    await saveScreenshot(page, 'deployment-rolled-back');
  });

  it('opens the lineage of the model that serves now', async () => {
    await page.click('[data-testid=served-version] a');
    await page.locator('[data-page="version"][data-ready="true"]').waitFor();
    const lineage = page.locator('[data-testid=lineage] svg');
    await lineage.locator('[data-kind=deployment]').waitFor();
    // Nodes are named once the runs they pass through are read (a request of their own).
    await expect.poll(() => lineage.textContent()).toContain('stage train');
    const text = await lineage.textContent();
    for (const node of [
      'commit ',
      'stage train',
      'data/train.csv',
      'model/model.onnx',
      'penguins@1',
    ])
      expect(text).toContain(node);
    expect(await lineage.locator('[data-kind=deployment]').textContent()).toContain(
      'deployment penguins',
    );
    expect(await page.textContent('[data-testid=served-by]')).toContain('penguins (serves it)');
    await page.locator('[data-testid=evaluation]').waitFor();
    await page.locator('[data-testid=gates]').waitFor();
    await saveScreenshot(page, 'model-version');
  });

  it('compares two runs side by side', async () => {
    await goTo('#/runs');
    await saveScreenshot(page, 'runs');
    const boxes = page.locator('[data-testid=runs] input[type=checkbox]');
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.click('[data-testid=compare-selected]');
    await page.locator('[data-page="compare"][data-ready="true"]').waitFor();
    const headers = await page
      .locator('[data-testid=compare] thead th[data-run]')
      .allTextContents();
    expect(headers).toEqual(['Run #1', 'Run #2']);
    expect(await page.textContent('[data-page=compare]')).toContain('train: train.lr');
    await page.locator('[data-page=compare] figure.chart canvas').first().waitFor();
    await saveScreenshot(page, 'compare');
  });

  it('draws a run’s stage graph and shows the audit log with its verification', async () => {
    await goTo('#/runs/2');
    const graph = page.locator('[data-testid=stage-graph] svg');
    for (const stage of ['prepare', 'train', 'evaluate'])
      expect(await graph.textContent()).toContain(stage);
    expect(await graph.textContent()).toMatch(/cached|ran/);
    await saveScreenshot(page, 'run');
    await goTo('#/audit');
    expect(await page.textContent('[data-testid=verification]')).toMatch(/Chain intact/);
    expect(await page.textContent('[data-testid=audit]')).toContain('deployment.rollback');
    await saveScreenshot(page, 'audit');
    expect(problems).toEqual([]);
  });

  it('weft dashboard serves the same workspace on its own, without a controller', async () => {
    const dashboard = startWeft(repo.dir, ['dashboard', '--port', '0']);
    try {
      const [, url = ''] = await dashboard.waitFor(/weft dashboard: (http:\/\/\S+\/ui\/)/);
      expect((await fetch(url)).headers.get('content-security-policy')).toContain("'self'");
      const api = new URL('../api/v1/deployments/penguins', url);
      const response = await fetch(api, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        name: 'penguins',
        served: { version: '1' },
        live: null,
      });
    } finally {
      dashboard.child.kill('SIGTERM');
    }
  });
});
