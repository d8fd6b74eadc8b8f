import { describe, expect, it } from 'vitest';
import { digestOf, sampleAliasChange, sampleModelVersion } from './metadata-store.fixtures.js';
import type { MetadataStore, ModelRegistry, NewModelVersion } from './types.js';

/**
 * Part of the MetadataStore contract (see describeMetadataStoreContract): the model registry.
 * `openStore` opens a store on the test's database.
 */
export function describeModelRegistryContract(openStore: () => Promise<MetadataStore>): void {
  describe('model registry', () => {
    describeVersions(openStore);
    describeAliases(openStore);
    describeSharing(openStore);
  });
}

/** Registers one version per content string, in order, under `name`. */
async function registerAll(
  registry: ModelRegistry,
  contents: string[],
  overrides: Partial<NewModelVersion> = {},
): Promise<number[]> {
  const versions: number[] = [];
  for (const content of contents) {
    const model = sampleModelVersion({ digest: digestOf(content), ...overrides });
    versions.push((await registry.registerModelVersion(model)).version.version);
  }
  return versions;
}

function describeVersions(openStore: () => Promise<MetadataStore>): void {
  it('numbers versions from 1 per model name, independently for each name', async () => {
    const store = await openStore();
    expect(await registerAll(store, ['a', 'b', 'c'])).toEqual([1, 2, 3]);
    expect(await registerAll(store, ['a', 'x'], { name: 'fraud' })).toEqual([1, 2]);
    expect(await registerAll(store, ['d'])).toEqual([4]);
  });

  it('returns the existing version, not a new one, for a digest registered twice', async () => {
    const store = await openStore();
    const model = sampleModelVersion();
    const first = await store.registerModelVersion(model);
    await store.setAlias('credit', 'production', 1, sampleAliasChange());
    const again = await store.registerModelVersion({ ...model, runId: 99, stage: 'other' });
    expect(first).toEqual({ version: { ...model, version: 1, aliases: [] }, created: true });
    expect(again).toEqual({
      version: { ...model, version: 1, aliases: ['production'] },
      created: false,
    });
    expect(await store.listModelVersions('credit')).toHaveLength(1);
  });

  it('finds a version by number, alias or digest, with the aliases pointing at it', async () => {
    const store = await openStore();
    await registerAll(store, ['one']);
    const model = sampleModelVersion({ digest: digestOf('two'), commit: null, dataDigests: [] });
    await store.registerModelVersion(model);
    await store.setAlias('credit', 'staging', 2, sampleAliasChange());
    await store.setAlias('credit', 'candidate', 2, sampleAliasChange());
    const expected = { ...model, version: 2, aliases: ['candidate', 'staging'] };

    expect(await store.getModelVersion('credit', { version: 2 })).toEqual(expected);
    expect(await store.getModelVersion('credit', { alias: 'staging' })).toEqual(expected);
    expect(await store.getModelVersion('credit', { digest: model.digest })).toEqual(expected);
    expect((await store.getModelVersion('credit', { version: 1 }))?.aliases).toEqual([]);
  });

  it('finds nothing for an unknown version, alias, digest or model', async () => {
    const store = await openStore();
    await registerAll(store, ['one']);
    expect(await store.getModelVersion('credit', { version: 2 })).toBeUndefined();
    expect(await store.getModelVersion('credit', { alias: 'production' })).toBeUndefined();
    expect(await store.getModelVersion('credit', { digest: digestOf('nope') })).toBeUndefined();
    expect(await store.getModelVersion('fraud', { version: 1 })).toBeUndefined();
  });

  it('lists versions newest first and pages through them with the before cursor', async () => {
    const store = await openStore();
    await registerAll(store, ['a', 'b', 'c', 'd', 'e']);
    await registerAll(store, ['a'], { name: 'fraud' });
    const numbers = async (filter?: { limit?: number; before?: number }) =>
      (await store.listModelVersions('credit', filter)).map((v) => v.version);
    expect(await numbers()).toEqual([5, 4, 3, 2, 1]);
    expect(await numbers({ limit: 2 })).toEqual([5, 4]);
    expect(await numbers({ limit: 2, before: 4 })).toEqual([3, 2]);
    expect(await numbers({ limit: 2, before: 2 })).toEqual([1]);
    expect(await numbers({ limit: 0 })).toEqual([5]);
    expect(await store.listModelVersions('nobody')).toEqual([]);
  });

  it('returns 50 versions by default and more when asked', async () => {
    const store = await openStore();
    await registerAll(
      store,
      Array.from({ length: 51 }, (_, i) => `m${i}`),
    );
    expect(await store.listModelVersions('credit')).toHaveLength(50);
    expect(await store.listModelVersions('credit', { limit: 5000 })).toHaveLength(51);
  });

  it('summarises each model with its latest version, count and aliases, sorted by name', async () => {
    const store = await openStore();
    expect(await store.listModels()).toEqual([]);
    await registerAll(store, ['a', 'b', 'c']);
    await registerAll(store, ['a'], { name: 'Zeta' });
    await registerAll(store, ['a', 'b'], { name: 'alpha' });
    await store.setAlias('credit', 'production', 2, sampleAliasChange());
    await store.setAlias('credit', 'candidate', 3, sampleAliasChange());
    expect(await store.listModels()).toEqual([
      { name: 'Zeta', latestVersion: 1, versionCount: 1, aliases: {} },
      { name: 'alpha', latestVersion: 2, versionCount: 2, aliases: {} },
      {
        name: 'credit',
        latestVersion: 3,
        versionCount: 3,
        aliases: { candidate: 3, production: 2 },
      },
    ]);
  });
}

function describeAliases(openStore: () => Promise<MetadataStore>): void {
  it('records every move of an alias with who, when, why and the previous version', async () => {
    const store = await openStore();
    await registerAll(store, ['a', 'b']);
    const first = sampleAliasChange({ actor: 'ada', reason: 'first release' });
    const second = sampleAliasChange({
      actor: 'bob',
      reason: 'better AUC',
      at: new Date('2026-02-01T00:00:00.001Z'),
    });
    const moves = [
      await store.setAlias('credit', 'production', 1, first),
      await store.setAlias('credit', 'production', 2, second),
    ];
    const expected = [
      { name: 'credit', alias: 'production', version: 1, previousVersion: null, ...first },
      { name: 'credit', alias: 'production', version: 2, previousVersion: 1, ...second },
    ];
    expect(moves).toEqual(expected);
    expect(await store.aliasHistory('credit', 'production')).toEqual(expected);
    expect((await store.getModelVersion('credit', { alias: 'production' }))?.version).toBe(2);
    expect((await store.getModelVersion('credit', { version: 1 }))?.aliases).toEqual([]);
  });

  it('records the removal of an alias as an event with no version', async () => {
    const store = await openStore();
    await registerAll(store, ['a']);
    await store.setAlias('credit', 'staging', 1, sampleAliasChange());
    const removal = sampleAliasChange({ actor: 'ops', reason: 'rolled back' });
    const event = await store.unsetAlias('credit', 'staging', removal);
    expect(event).toEqual({
      name: 'credit',
      alias: 'staging',
      version: null,
      previousVersion: 1,
      ...removal,
    });
    expect((await store.aliasHistory('credit', 'staging')).at(-1)).toEqual(event);
    expect(await store.getModelVersion('credit', { alias: 'staging' })).toBeUndefined();
    expect((await store.listModels())[0]?.aliases).toEqual({});
  });

  it('keeps the history of all aliases of a model, oldest first, apart from other models', async () => {
    const store = await openStore();
    await registerAll(store, ['a']);
    await registerAll(store, ['a'], { name: 'fraud' });
    await store.setAlias('credit', 'staging', 1, sampleAliasChange());
    await store.setAlias('fraud', 'staging', 1, sampleAliasChange());
    await store.setAlias('credit', 'production', 1, sampleAliasChange());
    await store.unsetAlias('credit', 'staging', sampleAliasChange());
    const history = await store.aliasHistory('credit');
    expect(history.map((e) => [e.alias, e.version])).toEqual([
      ['staging', 1],
      ['production', 1],
      ['staging', null],
    ]);
    expect(await store.aliasHistory('fraud')).toHaveLength(1);
  });

  it('refuses to point an alias at a version that does not exist, recording nothing', async () => {
    const store = await openStore();
    await registerAll(store, ['a']);
    await expect(
      store.setAlias('credit', 'production', 9, sampleAliasChange()),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'failed to set alias production of model credit: no version 9',
    });
    await expect(
      store.setAlias('fraud', 'production', 1, sampleAliasChange()),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.aliasHistory('credit')).toEqual([]);
  });

  it('refuses to unset an alias that is not set', async () => {
    const store = await openStore();
    await registerAll(store, ['a']);
    await expect(
      store.unsetAlias('credit', 'production', sampleAliasChange()),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('alias production') as unknown,
    });
    expect(await store.aliasHistory('credit')).toEqual([]);
  });
}

function describeSharing(openStore: () => Promise<MetadataStore>): void {
  it('numbers distinct digests registered concurrently from two stores 1, 2, ...', async () => {
    const [one, two] = await Promise.all([openStore(), openStore()]);
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((content, i) =>
        (i % 2 === 0 ? one : two).registerModelVersion(
          sampleModelVersion({ digest: digestOf(content) }),
        ),
      ),
    );
    const versions = results.map((r) => r.version.version).sort((x, y) => x - y);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.every((r) => r.created)).toBe(true);
    const listed = await two.listModelVersions('credit');
    expect(listed.map((v) => [v.version, v.digest])).toEqual(
      results
        .map((r) => [r.version.version, r.version.digest])
        .sort((x, y) => Number(y[0]) - Number(x[0])),
    );
  });

  it('registers one version for the same digest registered concurrently from two stores', async () => {
    const [one, two] = await Promise.all([openStore(), openStore()]);
    const model = sampleModelVersion();
    const results = await Promise.all([
      one.registerModelVersion(model),
      two.registerModelVersion(model),
    ]);
    expect(results.map((r) => r.version.version)).toEqual([1, 1]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('keeps versions, aliases and their history when reopened', async () => {
    const first = await openStore();
    await registerAll(first, ['a', 'b']);
    await first.setAlias('credit', 'production', 2, sampleAliasChange());
    const versions = await first.listModelVersions('credit');
    const history = await first.aliasHistory('credit');
    await first.close();

    const second = await openStore();
    expect(await second.listModelVersions('credit')).toEqual(versions);
    expect(await second.aliasHistory('credit')).toEqual(history);
    expect(await registerAll(second, ['c'])).toEqual([3]);
  });
}
