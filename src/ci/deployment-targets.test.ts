import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetadataStore } from '../registry/index.js';
import {
  digestOf,
  sampleAliasChange,
  sampleModelVersion,
} from '../registry/metadata-store.fixtures.js';
import type { MetadataStore } from '../registry/types.js';
import { parseDeployment } from '../spec/deployment.js';
import { lookupDeploymentTargets } from './deployment-targets.js';

let dir: string;
let metadata: MetadataStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-ci-targets-'));
  metadata = await openMetadataStore({ kind: 'sqlite', path: join(dir, 'weft.db') });
  for (const n of [1, 2, 3]) {
    await metadata.registerModelVersion(
      sampleModelVersion({ name: 'line', digest: digestOf(`v${n}`) }),
    );
  }
  await metadata.setAlias('line', 'production', 2, sampleAliasChange());
  // Version 1 passed its gates, 3 failed them, 2 was never validated.
  for (const [version, passed] of [
    [1, true],
    [3, false],
  ] as const) {
    await metadata.recordModelCheck({
      name: 'line',
      version,
      kind: 'validation',
      datasetPath: 'data/eval.csv',
      datasetDigest: digestOf('data'),
      configDigest: digestOf('gates'),
      passed,
      result: {},
      actor: 'test',
      createdAt: new Date('2026-01-02T00:00:00Z'),
    });
  }
});
afterEach(async () => {
  await metadata.close();
  await rm(dir, { recursive: true, force: true });
});

const deployment = (name: string, model: string) =>
  parseDeployment(
    `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: ${name} }\nspec:\n  model: { name: line, ${model} }\n`,
    `deploy/${name}.yaml`,
  );

describe('lookupDeploymentTargets', () => {
  it('resolves each selector as the controller does, and says when the registry has none', async () => {
    const targets = await lookupDeploymentTargets(metadata, [
      deployment('by-version', 'version: 3'),
      deployment('by-alias', 'alias: production'),
      deployment('by-digest', `digest: "${digestOf('v1')}"`),
      deployment('following', 'follow: { branch: main }'),
      deployment('missing', 'version: 9'),
      deployment('no-alias', 'alias: staging'),
    ]);
    expect(Object.fromEntries(targets)).toEqual({
      'by-version': { found: true, version: 3, digest: digestOf('v3') },
      'by-alias': { found: true, version: 2, digest: digestOf('v2') },
      'by-digest': { found: true, version: 1, digest: digestOf('v1') },
      // Before its first bump, a followed branch serves the newest version that passed its gates.
      following: { found: true, version: 1, digest: digestOf('v1') },
      missing: { found: false },
      'no-alias': { found: false },
    });
  });
});
