import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';

describe('resolveConfig', () => {
  it('defaults to SQLite and a store under .weft', () => {
    const config = resolveConfig('/repo', {});
    expect(config).toMatchObject({
      weftDir: '/repo/.weft',
      storeDir: '/repo/.weft/store',
      metadata: { kind: 'sqlite', path: '/repo/.weft/weft.db' },
    });
    expect(config.jobs).toBeGreaterThan(0);
  });

  it('lets flags override the environment', () => {
    const config = resolveConfig(
      '/repo',
      { WEFT_STORE_DIR: '/shared/store', WEFT_JOBS: '3' },
      { store: 'cache', jobs: '5' },
    );
    expect(config.storeDir).toBe('/repo/cache');
    expect(config.jobs).toBe(5);
  });

  it('selects PostgreSQL from a URL and takes the schema out of it', () => {
    const config = resolveConfig('/repo', {
      WEFT_DATABASE_URL: 'postgres://u:p@db:5432/weft?schema=team_a&sslmode=disable',
    });
    expect(config.metadata).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/weft?sslmode=disable',
      schema: 'team_a',
    });
  });

  it('reads sqlite: paths relative to the repo', () => {
    expect(resolveConfig('/repo', { WEFT_DATABASE_URL: 'sqlite:meta/runs.db' }).metadata).toEqual({
      kind: 'sqlite',
      path: '/repo/meta/runs.db',
    });
  });

  it('rejects a job count that is not a positive integer', () => {
    expect(() => resolveConfig('/repo', { WEFT_JOBS: '0' })).toThrow(
      'failed to read jobs: expected a positive integer, got "0"',
    );
  });
});
