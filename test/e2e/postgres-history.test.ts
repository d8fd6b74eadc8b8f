import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepo, weft } from '../utils/weft-cli.js';

const url = process.env.WEFT_TEST_POSTGRES_URL;

describe.runIf(url)('weft with its run history in PostgreSQL', () => {
  const schema = `weft_e2e_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it('records runs there and lists them back', async () => {
    const repo = await createRepo({
      'weft.yaml': `apiVersion: weft.dev/v1
kind: Pipeline
metadata: { name: pg }
spec:
  stages:
    copy:
      cmd: cp in.txt out.txt
      deps: [in.txt]
      outs: [out.txt]
`,
      'in.txt': 'hello\n',
    });
    try {
      const env = { WEFT_DATABASE_URL: `${url}?schema=${schema}` };
      expect((await weft(repo.dir, ['run'], env)).code).toBe(0);
      expect((await weft(repo.dir, ['run'], env)).code).toBe(0);
      const listed = await weft(repo.dir, ['runs', '--json'], env);
      const { runs } = JSON.parse(listed.stdout) as { runs: Array<{ id: number; status: string }> };
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
      const shown = await weft(repo.dir, ['show', String(runs[1]?.id), '--json'], env);
      expect(JSON.parse(shown.stdout)).toMatchObject({
        stages: [{ stage: 'copy', outcome: 'ran' }],
      });
    } finally {
      await repo.cleanup();
    }
  });
});
