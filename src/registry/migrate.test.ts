import { describe, expect, it } from 'vitest';
import { listPendingMigrations } from './migrate.js';
import { metadataMigrations } from './migrations/index.js';

describe('listPendingMigrations', () => {
  const known = Object.keys(metadataMigrations);

  it('lists every migration for a new store and none for a current one', () => {
    expect(listPendingMigrations([])).toEqual(known);
    expect(listPendingMigrations(known)).toEqual([]);
  });

  it('refuses a store migrated by a newer weft', () => {
    expect(() => listPendingMigrations([...known, '9999-from-the-future'])).toThrow(
      expect.objectContaining({
        code: 'METADATA_FAILED',
        message: expect.stringContaining('9999-from-the-future') as unknown,
      }) as Error,
    );
  });
});
