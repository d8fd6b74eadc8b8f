import { describe, expect, it } from 'vitest';
import type { MetadataStore, NewAuditEntry } from './types.js';

export function sampleAuditEntry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    at: new Date('2026-11-26T10:00:00.000Z'),
    actor: 'controller',
    action: 'deployment.apply',
    object: { kind: 'ModelDeployment', name: 'penguins' },
    revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
    before: { version: 1 },
    after: { version: 2, at: new Date('2026-11-26T10:00:00.000Z') },
    ...overrides,
  };
}

/** Part of the MetadataStore contract: the hash-chained audit log. */
export function describeAuditLogContract(openStore: () => Promise<MetadataStore>): void {
  describe('audit log', () => {
    it('chains entries, lists them newest first, and verifies an intact log', async () => {
      const store = await openStore();
      expect(await store.verifyAudit()).toEqual({ ok: true, entries: 0 });
      const first = await store.appendAudit(sampleAuditEntry());
      const second = await store.appendAudit(
        sampleAuditEntry({ action: 'deployment.rollback', actor: 'ana' }),
      );
      expect(first.prevHash).toBe('genesis');
      expect(second.prevHash).toBe(first.hash);
      expect(first.after).toEqual({ version: 2, at: '2026-11-26T10:00:00.000Z' });
      const listed = await store.listAudit();
      expect(listed.map((e) => e.id)).toEqual([second.id, first.id]);
      expect(listed[1]).toEqual(first);
      expect(await store.listAudit({ before: second.id })).toEqual([first]);
      expect(await store.verifyAudit()).toEqual({ ok: true, entries: 2 });
    });

    it('keeps one chain when appends race', async () => {
      const [a, b] = [await openStore(), await openStore()];
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).appendAudit(sampleAuditEntry({ actor: `w${i}` })),
        ),
      );
      expect(await a.verifyAudit()).toEqual({ ok: true, entries: 10 });
    });
  });
}

/** Part of the MetadataStore contract: the controller's status per object. */
export function describeControllerStatusContract(openStore: () => Promise<MetadataStore>): void {
  describe('controller status', () => {
    it('replaces an object status atomically and lists a kind by name', async () => {
      const store = await openStore();
      expect(await store.readStatus('ModelDeployment', 'penguins')).toBeUndefined();
      const at = new Date('2026-11-26T10:00:00.000Z');
      await store.writeStatus('ModelDeployment', 'penguins', { applied: 1 }, at);
      await store.writeStatus('ModelDeployment', 'penguins', { applied: 2 }, at);
      await store.writeStatus('ModelDeployment', 'iris', { applied: 7 }, at);
      await store.writeStatus('GitSource', 'main', { commit: 'abc' }, at);
      expect(await store.readStatus('ModelDeployment', 'penguins')).toEqual({ applied: 2 });
      expect(await store.listStatuses('ModelDeployment')).toEqual([
        { name: 'iris', status: { applied: 7 }, updatedAt: at },
        { name: 'penguins', status: { applied: 2 }, updatedAt: at },
      ]);
    });
  });
}
