import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeftResult } from '../../test/utils/weft-cli.js';
import { sampleAuditEntry } from '../registry/metadata-store-audit.contract.js';
import {
  digestOf,
  sampleExecution,
  sampleModelVersion,
  sampleRun,
} from '../registry/metadata-store.fixtures.js';
import { startTestApi, type TestApi } from './api.fixtures.js';

const MAIN = resolve(import.meta.dirname, '../cli/main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The CLI run from this tree's sources through tsx, so these tests need no build (and no
 * dist/ that another build may be replacing meanwhile).
 */
function weft(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<WeftResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', TSX, MAIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        done({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** The CLI reading the same data locally and through the API prints the same. */
describe('weft read commands with --remote', () => {
  let api: TestApi;
  let cwd = '';
  let local: (args: string[]) => ReturnType<typeof weft>;
  let remote: (args: string[], token?: string) => ReturnType<typeof weft>;

  beforeAll(async () => {
    api = await startTestApi();
    cwd = await mkdtemp(join(tmpdir(), 'weft-remote-'));
    for (let i = 0; i < 3; i++) {
      const run = await api.store.createRun(
        sampleRun({ startedAt: new Date(Date.UTC(2026, 0, i + 1)) }),
      );
      const { digest } = await api.objects.putBytes(`log of run ${run.id}\n`);
      await api.store.recordStageExecution(sampleExecution(run.id, { logDigest: digest }));
      await api.store.finishRun(
        run.id,
        i === 1 ? 'failed' : 'succeeded',
        new Date(Date.UTC(2026, 0, i + 1, 1)),
      );
    }
    await api.store.writeStatus(
      'ModelDeployment',
      'penguins',
      { conditions: [], served: null },
      new Date(),
    );
    await api.store.appendAudit(sampleAuditEntry());
    await api.store.registerModelVersion(
      sampleModelVersion({ name: 'penguins', digest: digestOf('v1') }),
    );
    const server = api.url.replace('/api/v1', '');
    local = (args) => weft(cwd, ['--database', api.databasePath, '--store', api.storeDir, ...args]);
    remote = (args, token = api.secrets.read) =>
      weft(cwd, [...args, '--remote', server], { WEFT_TOKEN: token });
  });
  afterAll(async () => {
    await api.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it.each([
    [['runs']],
    [['runs', '--json', '-n', '2', '--before', '3', '--status', 'succeeded']],
    [['show', '2']],
    [['show', 'latest', '--json']],
    [['show', '1', '--log', 'train']],
    [['deployments', '--json']],
    [['models']],
    [['models', '--json']],
    [['models', 'versions', 'penguins']],
    [['models', 'versions', 'penguins', '--json']],
    [['audit', '-n', '2']],
    [['audit', 'verify']],
  ])('weft %j prints the same', async (args) => {
    const [here, there] = [await local(args), await remote(args)];
    expect(there.stderr).toBe('');
    expect(here.code).toBe(0);
    expect(there).toEqual(here);
  });

  it("fails with the server's message without a usable token", async () => {
    const refused = await remote(['runs'], '');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs a token/);
    const missing = await remote(['show', '99']);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining('no run 99') as unknown,
    ]);
  });
});

describe('weft token', () => {
  let cwd = '';
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'weft-token-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('creates a token (secret printed once), lists it, and revokes it', async () => {
    const env = { WEFT_ACTOR: 'ana' };
    const db = ['--database', join(cwd, 'weft.db')];
    const created = await weft(cwd, [...db, 'token', 'create', 'ci', '--scope', 'deploy'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^weft_[0-9A-Za-z]{43}\n$/);
    expect(created.stderr).toContain('shown once');
    const again = await weft(cwd, [...db, 'token', 'create', 'ci'], env);
    expect([again.code, again.stderr]).toEqual([
      2,
      expect.stringContaining('the name is taken') as unknown,
    ]);
    const badScope = await weft(cwd, [...db, 'token', 'create', 'x', '--scope', 'root'], env);
    expect(badScope.code).toBe(2);
    const listed = await weft(cwd, [...db, 'token', 'list', '--json'], env);
    const tokens = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(tokens).toEqual([
      expect.objectContaining({ name: 'ci', scope: 'deploy', revokedAt: null }),
    ]);
    expect(listed.stdout).not.toContain(created.stdout.trim());
    expect((await weft(cwd, [...db, 'token', 'revoke', 'ci'], env)).stdout).toBe(
      'token ci revoked\n',
    );
    expect((await weft(cwd, [...db, 'token', 'revoke', 'ci'], env)).code).toBe(2);
    const audit = JSON.parse((await weft(cwd, [...db, 'audit', '--json'], env)).stdout) as Array<{
      actor: string;
      action: string;
    }>;
    expect(audit.map((e) => [e.actor, e.action])).toEqual([
      ['ana', 'token.revoke'],
      ['ana', 'token.create'],
    ]);
  });
});
