import { describe, expect, it } from 'vitest';
import { digestJson } from '../core/digest.js';
import { DEFAULT_ANALYSIS } from './deployment-analysis.js';
import { parseDeployment } from './deployment.js';
import type { ResolvedDeploymentSpec } from './deployment-types.js';

const HEADER = 'apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: penguins }\n';

const FULL = `${HEADER}spec:
  model:
    name: penguins
    version: 3
  runtime:
    kind: external
    command: [/usr/bin/python3, server.py, --port, '{port}']
    env: { OMP_NUM_THREADS: '1' }
  strategy:
    type: canary
    canary: { steps: [10, 25, 50, 100], interval: 30s, maxFailedChecks: 3 }
  analysis:
    minRequests: 50
    maxErrorRate: 0.02
    maxP99LatencyMs: 50
    maxP99LatencyRatio: 1.2
    minOnlineAccuracy: 0.9
    maxInputDrift: { psi: 0.25 }
    maxPredictionDrift: null
    minShadowAgreement: 0.99
  batching: { maxBatchSize: 32, maxLatencyMs: 2 }
  selfHeal: false
  suspend: true
`;

function specOf(text: string): ResolvedDeploymentSpec {
  return parseDeployment(text, 'deploy/penguins.yaml').spec;
}

function withModel(model: string, rest = ''): string {
  return `${HEADER}spec:\n  model: ${model}\n${rest}`;
}

describe('parseDeployment resolves a ModelDeployment', () => {
  it('keeps every value a full document sets, filling only what it leaves out', () => {
    const deployment = parseDeployment(FULL, 'deploy/penguins.yaml');
    expect(deployment).toMatchObject({
      apiVersion: 'weft.dev/v1',
      kind: 'ModelDeployment',
      name: 'penguins',
      file: 'deploy/penguins.yaml',
      location: { file: 'deploy/penguins.yaml', line: 3, col: 19 },
    });
    expect(deployment.spec).toEqual({
      model: { name: 'penguins', ref: { version: 3 } },
      runtime: {
        kind: 'external',
        command: ['/usr/bin/python3', 'server.py', '--port', '{port}'],
        env: { OMP_NUM_THREADS: '1' },
      },
      strategy: {
        type: 'canary',
        steps: [10, 25, 50, 100],
        intervalMs: 30_000,
        maxFailedChecks: 3,
      },
      analysis: {
        minRequests: 50,
        maxErrorRate: 0.02,
        maxP99LatencyMs: 50,
        maxP99LatencyRatio: 1.2,
        minOnlineAccuracy: 0.9,
        maxInputDrift: { psi: 0.25, jensenShannon: 0.1 },
        maxPredictionDrift: null,
        minShadowAgreement: 0.99,
      },
      batching: { maxBatchSize: 32, maxLatencyMs: 2 },
      selfHeal: false,
      suspend: true,
    });
  });

  it('applies every default to a document naming only the model', () => {
    expect(specOf(withModel('{ name: penguins, alias: production }'))).toEqual({
      model: { name: 'penguins', ref: { alias: 'production' } },
      runtime: { kind: 'onnx' },
      strategy: { type: 'replace' },
      analysis: {
        minRequests: 20,
        maxErrorRate: 0.01,
        maxP99LatencyMs: null,
        maxP99LatencyRatio: 1.5,
        minOnlineAccuracy: null,
        maxInputDrift: { psi: 0.2, jensenShannon: 0.1 },
        maxPredictionDrift: 0.1,
        minShadowAgreement: 0.98,
      },
      batching: null,
      selfHeal: true,
      suspend: false,
    });
  });

  it('gives each strategy its defaults', () => {
    const strategy = (text: string): unknown =>
      specOf(withModel('{ name: m, version: 1 }', `  strategy: ${text}\n`)).strategy;
    expect(strategy('{ type: canary }')).toEqual({
      type: 'canary',
      steps: [10, 25, 50, 100],
      intervalMs: 60_000,
      maxFailedChecks: 2,
    });
    expect(strategy('{ type: shadow, shadow: { duration: 1h30m } }')).toEqual({
      type: 'shadow',
      durationMs: 5_400_000,
      minRequests: 100,
    });
    expect(strategy('{ type: bluegreen, bluegreen: { interval: 250ms } }')).toEqual({
      type: 'bluegreen',
      rollbackWindowMs: 600_000,
      intervalMs: 250,
      maxFailedChecks: 2,
    });
  });

  it('reads a digest, and follow with or without the version it last committed', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(specOf(withModel(`{ name: m, digest: '${digest}' }`)).model).toEqual({
      name: 'm',
      ref: { digest },
    });
    expect(specOf(withModel('{ name: m, follow: { branch: main } }')).model).toEqual({
      name: 'm',
      ref: null,
      follow: { branch: 'main', passedGates: true },
    });
    const pinned = '{ name: m, follow: { branch: release/v2, passedGates: false }, version: 7 }';
    expect(specOf(withModel(pinned)).model).toEqual({
      name: 'm',
      ref: { version: 7 },
      follow: { branch: 'release/v2', passedGates: false },
    });
  });

  it('switches a check off with null, input drift included', () => {
    const analysis = '  analysis: { maxErrorRate: null, maxInputDrift: null }\n';
    expect(specOf(withModel('{ name: m, version: 1 }', analysis)).analysis).toEqual({
      ...DEFAULT_ANALYSIS,
      maxErrorRate: null,
      maxInputDrift: null,
    });
  });

  it('retrains on input drift only when asked, once per cooldown (1h by default)', () => {
    const model = '{ name: m, version: 1 }';
    expect(specOf(withModel(model)).retrain).toBeUndefined();
    expect(
      specOf(withModel(model, '  retrain: { onInputDrift: false }\n')).retrain,
    ).toBeUndefined();
    expect(specOf(withModel(model, '  retrain: { onInputDrift: true }\n')).retrain).toEqual({
      cooldownMs: 3_600_000,
    });
    const daily = '  retrain: { onInputDrift: true, cooldown: 24h }\n';
    expect(specOf(withModel(model, daily)).retrain).toEqual({ cooldownMs: 86_400_000 });
  });

  it('points at a bad retrain cooldown', () => {
    const text = withModel(
      '{ name: m, version: 1 }',
      '  retrain: { onInputDrift: true, cooldown: 0s }\n',
    );
    expect(() => parseDeployment(text, 'deploy/m.yaml')).toThrow(
      /deploy\/m\.yaml:6:\d+: .*above zero/,
    );
  });
});

describe('generation', () => {
  it('is the digest of the resolved spec', () => {
    const deployment = parseDeployment(FULL, 'deploy/penguins.yaml');
    expect(deployment.generation).toBe(digestJson(deployment.spec));
  });

  it('ignores how the document is written: key order, comments, spelling of durations', () => {
    const reordered = FULL.replace('interval: 30s', 'interval: 30000ms')
      .replace(
        '  selfHeal: false\n  suspend: true\n',
        '  suspend: true # paused\n  selfHeal: false\n',
      )
      .replace('    name: penguins\n    version: 3\n', '    version: 3\n    name: penguins\n');
    const a = parseDeployment(FULL, 'deploy/a.yaml');
    const b = parseDeployment(reordered, 'deploy/b.yaml');
    expect(b.generation).toBe(a.generation);
  });

  it('changes with the desired state, not when a default is spelt out', () => {
    const base = parseDeployment(withModel('{ name: m, version: 1 }'), 'd.yaml').generation;
    const bumped = parseDeployment(withModel('{ name: m, version: 2 }'), 'd.yaml').generation;
    const explicit = parseDeployment(
      withModel('{ name: m, version: 1 }', '  selfHeal: true\n'),
      'd.yaml',
    );
    expect(bumped).not.toBe(base);
    expect(explicit.generation).toBe(base);
  });
});
