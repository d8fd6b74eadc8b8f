import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExampleRepo,
  git,
  penguinsDeployment,
  type ExampleRepo,
} from '../utils/example-repo.js';
import { weft } from '../utils/weft-cli.js';
import { GITHUB_TEST_TOKEN, startFakeGitHub } from '../../src/git-hosts/fake-github.testing.js';

const deployment = (version: number, strategy = '{ type: replace }'): string =>
  penguinsDeployment(version, `  strategy: ${strategy}\n`);
const CANARY =
  '{ type: canary, canary: { steps: [25, 50, 100], interval: 3s, maxFailedChecks: 1 } }';

describe('weft ci on the bundled example, on a pull-request-like branch', () => {
  let repo: ExampleRepo;
  const write = (path: string, text: string) => writeFile(join(repo.dir, path), text);
  const read = (path: string) => readFile(join(repo.dir, path), 'utf8');

  beforeAll(async () => {
    repo = await createExampleRepo();
    await mkdir(join(repo.dir, 'deploy'));
    await write('deploy/penguins.yaml', deployment(1));
    expect((await weft(repo.dir, ['run', '-q'])).code).toBe(0);
    await git(repo.dir, 'add', '-A');
    await git(repo.dir, 'commit', '-qm', 'train and deploy penguins@1');
    const alias = ['models', 'alias', 'set', 'penguins', 'production', '1'];
    expect((await weft(repo.dir, alias)).code).toBe(0);
  });
  afterAll(async () => repo.cleanup());

  it('prints the comment with the deployment preview and exits 1 when a gate fails', async () => {
    await git(repo.dir, 'checkout', '-qb', 'smaller-lr');
    await write('params.yaml', (await read('params.yaml')).replace('lr: 0.1 ', 'lr: 0.002 '));
    await write('deploy/penguins.yaml', deployment(2, CANARY));
    await git(repo.dir, 'commit', '-qam', 'smaller learning rate, deploy penguins@2 by canary');

    const result = await weft(repo.dir, ['ci', '--base', 'main', '-q']);
    expect(result.code).toBe(1);
    expect(result.stdout.startsWith('<!-- weft-report:penguins -->\n')).toBe(true);
    expect(result.stdout.match(/<!-- weft-report:/g)).toHaveLength(1);
    expect(result.stdout).toContain('## ❌ weft ci penguins@2: failed');
    expect(result.stdout).toContain('| accuracy no worse than production (tolerance 0.01) |');
    expect(result.stdout).toContain('### Deployment preview');
    expect(result.stdout).toMatch(/What merging `[0-9a-f]{12}` into `[0-9a-f]{12}` \(main\)/);
    expect(result.stdout).toContain(
      '| penguins | ✏️ changed | penguins@1 → penguins@2 (built by this change) | canary 25% → 50% → 100% every 3s, rollback after 1 failed analysis | Canary: loads penguins@2 beside penguins@1 and steps its traffic 25% → 50% → 100%, one step every 3s after an analysis of its live evidence; 1 failed analysis rolls it back to penguins@1. |',
    );
    expect(result.stderr).toContain(
      'weft ci: FAILED: penguins@2: 2 of 4 gates failed (exit 1); reports in weft-report',
    );

    expect(await read('weft-report/report.md')).toBe(result.stdout);
    const junit = await read('weft-report/junit.xml');
    expect(junit.match(/<failure /g)).toHaveLength(2);
    const summary = JSON.parse(await read('weft-report/ci.json')) as Record<string, unknown>;
    expect(summary).toMatchObject({
      verdict: 'gates-failed',
      passed: false,
      base: { label: 'main' },
      model: { name: 'penguins', version: 2, gatesPassed: false },
      deployments: { entries: [{ name: 'penguins', change: 'changed' }] },
    });
  });

  it('posts one pull-request comment, updated in place on the next run, and a commit status', async () => {
    const github = await startFakeGitHub(GITHUB_TEST_TOKEN);
    try {
      const env = {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'octo/weft-demo',
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: GITHUB_TEST_TOKEN,
      };
      const args = ['ci', '--base', 'main', '-q', '--post', '--pr', '7'];
      const first = await weft(repo.dir, args, env);
      expect(first.code, first.stderr).toBe(1);
      const second = await weft(repo.dir, args, env);
      expect(second.code, second.stderr).toBe(1);
      expect(github.commentsOn(7)).toHaveLength(1);
      expect(github.commentsOn(7)[0]?.body).toContain('### Deployment preview');
      const head = (await git(repo.dir, 'rev-parse', 'HEAD')).trim();
      expect(github.statuses).toEqual([
        expect.objectContaining({ sha: head, state: 'failure', context: 'weft/ci' }),
        expect.objectContaining({ sha: head, state: 'failure', context: 'weft/ci' }),
      ]);
      // The report also goes to the commit's checks tab, where the token may create check runs.
      expect(github.checkRuns).toEqual([
        expect.objectContaining({ head_sha: head, name: 'weft/ci', conclusion: 'failure' }),
        expect.objectContaining({ head_sha: head, name: 'weft/ci', conclusion: 'failure' }),
      ]);
      expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(
        GITHUB_TEST_TOKEN,
      );
    } finally {
      await github.close();
    }
  });

  it('says which variable to set when posting without a token', async () => {
    const result = await weft(repo.dir, ['ci', '--base', 'main', '-q', '--post', '--pr', '7'], {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo/weft-demo',
      GITHUB_TOKEN: '',
      GH_TOKEN: '',
      WEFT_GITHUB_TOKEN: '',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no token; set GITHUB_TOKEN/);
  });

  it('passes a change that only moves deploy/ to another strategy, comparing with HEAD~1', async () => {
    await git(repo.dir, 'checkout', '-q', 'main');
    await git(repo.dir, 'checkout', '-qb', 'bluegreen');
    await write('deploy/penguins.yaml', deployment(1, '{ type: bluegreen }'));
    await git(repo.dir, 'commit', '-qam', 'deploy by blue-green');

    const result = await weft(repo.dir, ['ci', '--json', '-q']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      verdict: string;
      base: { label: string };
      deployments: { entries: Array<{ change: string; rollout: string; differences: string[] }> };
    };
    expect(summary.verdict).toBe('passed');
    expect(summary.base.label).toBe('HEAD~1');
    expect(summary.deployments.entries).toEqual([
      expect.objectContaining({
        change: 'changed',
        differences: [
          'strategy: replace → blue-green, old version kept 10m, analysed every 1m, rollback after 2 failed analyses',
        ],
        rollout:
          'No rollout: keeps serving penguins@1; the new settings apply to the next rollout.',
      }),
    ]);
  });

  it('exits 2 and names the file when a deploy file is invalid, without running (--no-run)', async () => {
    await write('deploy/broken.yaml', deployment(1).replace('version: 1', 'version: one'));
    const result = await weft(repo.dir, ['ci', '--no-run']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('The pipeline was not run (--no-run)');
    expect(result.stdout).toMatch(/- `deploy\/broken\.yaml:5:\d+: spec\.model\.version: /);
    expect(result.stderr).toContain('weft ci: FAILED: invalid deploy/broken.yaml');
  });
});
