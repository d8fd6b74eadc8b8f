// Fills a metadata store for the API benchmark through the store's own API: runs with a stage
// execution each (deps, an out, metrics), model versions with aliases and checks, deployment
// statuses shaped as the controller writes them, and audit entries.
import { Buffer } from 'node:buffer';

const DAY_MS = 24 * 60 * 60 * 1000;
const digest = (text) => `sha256:${Buffer.from(text).toString('hex').padEnd(64, '0').slice(0, 64)}`;

export async function fillRuns(store, count, progress) {
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const run = await store.createRun({
      pipeline: i % 10 === 0 ? 'other' : 'penguins',
      commit: i.toString(16).padStart(40, 'a'),
      dirty: false,
      branch: i % 3 === 0 ? 'dev' : 'main',
      author: 'Bench <bench@weft.dev>',
      targets: [],
      startedAt: new Date(start + (i * DAY_MS) / 24),
    });
    await store.recordStageExecution({
      runId: run.id,
      stage: 'train',
      cacheKey: digest(`key ${i}`),
      outcome: 'ran',
      reasons: ['param train.lr changed'],
      startedAt: run.startedAt,
      durationMs: 1200,
      exitCode: 0,
      logDigest: digest(`log ${i}`),
      deps: [
        { path: 'data/train.csv', digest: digest(`data ${i % 50}`), size: 1000, kind: 'file' },
        { path: 'src/train.mjs', digest: digest('code'), size: 200, kind: 'file' },
      ],
      params: { 'train.lr': 0.1, 'train.epochs': 100 },
      outs: [{ path: 'model/model.onnx', digest: digest(`model ${i}`), size: 5000, kind: 'file' }],
      metrics: [
        { file: 'metrics.json', key: 'test.accuracy', value: 0.9 + (i % 10) / 100 },
        { file: 'metrics.json', key: 'test.loss', value: 0.3 },
        { file: 'metrics.json', key: 'train.accuracy', value: 0.95 },
      ],
    });
    await store.finishRun(
      run.id,
      i % 17 === 0 ? 'failed' : 'succeeded',
      new Date(run.startedAt.getTime() + 60_000),
    );
    if ((i + 1) % 2000 === 0) progress(`  ${i + 1} runs`);
  }
}

export async function fillModels(store, { models, versionsPerModel }) {
  for (let m = 0; m < models; m++) {
    const name = `model-${m}`;
    for (let v = 1; v <= versionsPerModel; v++) {
      await store.registerModelVersion({
        name,
        digest: digest(`${name} ${v}`),
        size: 5000,
        artifactPath: 'model/model.onnx',
        signature: {
          inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 7] }],
          outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }],
        },
        metrics: [{ file: 'metrics.json', key: 'test.accuracy', value: 0.9 }],
        params: { 'train.lr': 0.1 },
        commit: 'a'.repeat(40),
        dataDigests: [{ path: 'data/train.csv', digest: digest('data'), size: 1000, kind: 'file' }],
        runId: v,
        stage: 'train',
        createdAt: new Date(Date.UTC(2025, 0, 1) + v * DAY_MS),
      });
      if (v % 10 === 0) {
        const change = { actor: 'bench', reason: 'promote', at: new Date() };
        await store.setAlias(name, 'production', v, change);
        await store.recordModelCheck({
          name,
          version: v,
          kind: 'validation',
          datasetPath: 'data/eval.csv',
          datasetDigest: digest('eval'),
          configDigest: digest('gates'),
          passed: true,
          result: { gates: [{ metric: 'accuracy', min: 0.9, value: 0.93, passed: true }] },
          actor: 'bench',
          createdAt: new Date(),
        });
      }
    }
  }
}

/** A status as the controller writes it: conditions, ten applied revisions, a canary for some. */
function deploymentStatus(i) {
  const at = new Date(Date.UTC(2025, 5, 1)).toISOString();
  const ready = i % 7 === 0 ? 'False' : 'True';
  return {
    observedGeneration: digest(`gen ${i}`),
    lastAttemptedRevision: `main@sha1:${'b'.repeat(40)}`,
    lastAppliedRevision: `main@sha1:${'b'.repeat(40)}`,
    conditions: [
      {
        type: 'Ready',
        status: ready,
        reason: ready === 'True' ? 'Applied' : 'VersionNotFound',
        message: 'serving model-1@10',
        lastTransitionTime: at,
      },
      ...(ready === 'False'
        ? [
            {
              type: 'Stalled',
              status: 'True',
              reason: 'VersionNotFound',
              message: 'no version 99',
              lastTransitionTime: at,
            },
          ]
        : []),
    ],
    served: { model: `model-${i % 10}`, version: '10', digest: digest('served') },
    history: Array.from({ length: 10 }, (_, h) => ({
      revision: `main@sha1:${h.toString(16).padStart(40, 'c')}`,
      version: String(10 - h),
      digest: digest(`v${h}`),
      appliedAt: at,
    })),
    rollout:
      i % 5 === 0
        ? {
            primary: { version: '9', digest: digest('9') },
            canary: { version: '10', digest: digest('10') },
            step: 1,
            failedChecks: 0,
            stepStartedAt: at,
            revision: `main@sha1:${'d'.repeat(40)}`,
            lastChecks: [
              { name: 'errorRate', value: 0.001, threshold: 0.05, passed: true },
              { name: 'p99LatencyMs', value: 12, threshold: 500, passed: true },
              { name: 'onlineAccuracy', value: 0.95, threshold: 0.9, passed: true },
            ],
          }
        : null,
    rolledBack: null,
  };
}

export async function fillDeployments(store, count) {
  for (let i = 0; i < count; i++) {
    await store.writeStatus(
      'ModelDeployment',
      `deploy-${String(i).padStart(4, '0')}`,
      deploymentStatus(i),
      new Date(),
    );
  }
}

export async function fillAudit(store, count) {
  for (let i = 0; i < count; i++) {
    await store.appendAudit({
      at: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
      actor: i % 4 === 0 ? 'ci-bot' : 'controller',
      action: i % 4 === 0 ? 'alias.set' : 'deployment.apply',
      object: { kind: 'ModelDeployment', name: `deploy-${String(i % 200).padStart(4, '0')}` },
      revision: `main@sha1:${'e'.repeat(40)}`,
      before: { version: '1' },
      after: { version: '2' },
    });
  }
}

/**
 * A SQLite store in `scratch` filled with `runs` runs, 1,000 model versions, 200 deployments
 * and 5,000 audit entries, and a fastify app serving the API over it (weft's modules from src/
 * through tsx, registered by the caller). `close` closes the app and the store.
 */
export async function startFilledApi({ scratch, runs, scope, progress, src }) {
  const { openMetadataStore } = await import(src('registry/index.ts'));
  const { registerApiRoutes } = await import(src('api/routes.ts'));
  const { createToken } = await import(src('api/tokens.ts'));
  const { default: Fastify } = await import('fastify');
  const store = await openMetadataStore({ kind: 'sqlite', path: `${scratch}/weft.db` });
  progress(
    `filling the store: ${runs} runs, 1,000 model versions, 200 deployments, 5,000 audit entries`,
  );
  await fillRuns(store, runs, progress);
  await fillModels(store, { models: 10, versionsPerModel: 100 });
  await fillDeployments(store, 200);
  await fillAudit(store, 5000);
  const { secret } = await createToken(store, {
    name: 'bench',
    scope,
    actor: 'bench',
    at: new Date(),
  });
  const app = Fastify({ logger: false });
  await registerApiRoutes(app, { store });
  return {
    app,
    secret,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
