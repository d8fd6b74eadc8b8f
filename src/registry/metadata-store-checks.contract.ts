import { describe, expect, it } from 'vitest';
import { isWeftError } from '../core/errors.js';
import { digestOf, sampleModelVersion } from './metadata-store.fixtures.js';
import type { MetadataStore, NewModelCheck } from './types.js';

/** Part of the MetadataStore contract: evaluations and validations kept with model versions. */
export function describeModelChecksContract(openStore: () => Promise<MetadataStore>): void {
  describe('model checks', () => {
    const check = (overrides: Partial<NewModelCheck> = {}): NewModelCheck => ({
      name: 'credit',
      version: 1,
      kind: 'evaluation',
      datasetPath: 'data/test.csv',
      datasetDigest: digestOf('test.csv'),
      configDigest: digestOf('config'),
      passed: null,
      result: { metrics: { accuracy: 0.9 }, groups: ['a', 'b'] },
      actor: 'ana',
      createdAt: new Date('2026-11-26T10:00:00.000Z'),
      ...overrides,
    });

    it('keeps checks with their version and lists them newest first, filtered', async () => {
      const store = await openStore();
      await store.registerModelVersion(sampleModelVersion());
      const first = await store.recordModelCheck(check());
      const second = await store.recordModelCheck(check({ configDigest: digestOf('other') }));
      const verdict = await store.recordModelCheck(check({ kind: 'validation', passed: false }));
      expect(first).toEqual({ ...check(), id: first.id });
      expect((await store.listModelChecks('credit', 1)).map((c) => c.id)).toEqual([
        verdict.id,
        second.id,
        first.id,
      ]);
      const evaluations = await store.listModelChecks('credit', 1, {
        kind: 'evaluation',
        configDigest: digestOf('config'),
      });
      expect(evaluations).toEqual([first]);
      const [validation] = await store.listModelChecks('credit', 1, { kind: 'validation' });
      expect(validation?.passed).toBe(false);
      expect(await store.listModelChecks('credit', 2)).toEqual([]);
    });

    it('refuses a check of a version that does not exist', async () => {
      const store = await openStore();
      const error = await store.recordModelCheck(check({ version: 7 })).catch((e: unknown) => e);
      expect(isWeftError(error, 'NOT_FOUND')).toBe(true);
      expect(String(error)).toContain('no version 7');
    });
  });
}
