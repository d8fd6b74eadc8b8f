import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { digestJson } from '../core/digest.js';
import { DEFAULT_ANALYSIS } from './deployment-analysis.js';
import { formatDuration, MAX_DURATION_MS } from './deployment-duration.js';
import { DEFAULT_BLUEGREEN, DEFAULT_CANARY, DEFAULT_SHADOW } from './deployment-strategy.js';
import { parseDeployment } from './deployment.js';
import type { ResolvedDeploymentSpec } from './deployment-types.js';

/** A value as written in the document, and what it must resolve to. */
interface Case<T> {
  written: Record<string, unknown>;
  expected: T;
}

const NAME = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);

/** Written with whichever units, each part small enough that the sum stays within 7 days. */
const DURATION = fc
  .record({
    h: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    m: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
    s: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined }),
    ms: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined }),
  })
  .map(({ h, m, s, ms }) => ({
    text: [`${h ?? ''}h`, `${m ?? ''}m`, `${s ?? ''}s`, `${ms ?? ''}ms`]
      .filter((part) => /^\d/.test(part))
      .join(''),
    ms: (h ?? 0) * 3_600_000 + (m ?? 0) * 60_000 + (s ?? 0) * 1_000 + (ms ?? 0),
  }))
  .filter((d) => d.ms > 0 && d.ms <= MAX_DURATION_MS);

const SELECTOR: fc.Arbitrary<Case<ResolvedDeploymentSpec['model']>> = fc.oneof(
  fc.integer({ min: 1, max: 1e6 }).map((version) => ({
    written: { version },
    expected: { name: '', ref: { version } },
  })),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$/).map((alias) => ({
    written: { alias },
    expected: { name: '', ref: { alias } },
  })),
  fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => ({
    written: { digest: `sha256:${hex}` },
    expected: { name: '', ref: { digest: `sha256:${hex}` as const } },
  })),
  fc
    .record({
      branch: fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}(\/[a-z0-9_-]{1,10})?$/),
      passedGates: fc.option(fc.boolean(), { nil: undefined }),
      version: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
    })
    .map(({ branch, passedGates, version }) => ({
      written: { follow: { branch, passedGates }, version },
      expected: {
        name: '',
        ref: version === undefined ? null : { version },
        follow: { branch, passedGates: passedGates ?? true },
      },
    })),
);

const STEPS = fc
  .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 8 })
  .map((steps) => [...steps.sort((a, b) => a - b), 100]);

const STRATEGY: fc.Arbitrary<Case<ResolvedDeploymentSpec['strategy']>> = fc.oneof(
  fc.constant({ written: { type: 'replace' }, expected: { type: 'replace' as const } }),
  fc.record({ steps: STEPS, interval: DURATION }).map(({ steps, interval }) => ({
    written: { type: 'canary', canary: { steps, interval: interval.text } },
    expected: {
      type: 'canary' as const,
      steps,
      intervalMs: interval.ms,
      maxFailedChecks: DEFAULT_CANARY.maxFailedChecks,
    },
  })),
  fc.record({ duration: DURATION, minRequests: fc.integer({ min: 1, max: 1e5 }) }).map((s) => ({
    written: { type: 'shadow', shadow: { duration: s.duration.text, minRequests: s.minRequests } },
    expected: { type: 'shadow' as const, durationMs: s.duration.ms, minRequests: s.minRequests },
  })),
  DURATION.map((window) => ({
    written: { type: 'bluegreen', bluegreen: { rollbackWindow: window.text } },
    expected: {
      type: 'bluegreen' as const,
      rollbackWindowMs: window.ms,
      intervalMs: DEFAULT_BLUEGREEN.intervalMs,
      maxFailedChecks: DEFAULT_BLUEGREEN.maxFailedChecks,
    },
  })),
);

const FRACTION = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null });

const ANALYSIS = fc.record(
  { maxErrorRate: FRACTION, minOnlineAccuracy: FRACTION, minShadowAgreement: FRACTION },
  { requiredKeys: [] },
);

describe('parseDeployment on generated documents', () => {
  it('resolves every valid document to the values written, defaults for the rest', () => {
    const document = fc.record({
      name: NAME,
      model: NAME,
      selector: SELECTOR,
      strategy: STRATEGY,
      analysis: ANALYSIS,
      selfHeal: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(document, ({ name, model, selector, strategy, analysis, selfHeal }) => {
        const text = stringify({
          apiVersion: 'weft.dev/v1',
          kind: 'ModelDeployment',
          metadata: { name },
          spec: {
            model: { name: model, ...selector.written },
            strategy: strategy.written,
            analysis,
            selfHeal,
          },
        });
        const deployment = parseDeployment(text, 'deploy/generated.yaml');
        expect(deployment.name).toBe(name);
        expect(deployment.spec.model).toEqual({ ...selector.expected, name: model });
        expect(deployment.spec.strategy).toEqual(strategy.expected);
        expect(deployment.spec.analysis).toEqual({ ...DEFAULT_ANALYSIS, ...analysis });
        expect(deployment.spec.selfHeal).toBe(selfHeal ?? true);
        expect(deployment.generation).toBe(digestJson(deployment.spec));
      }),
      { numRuns: 200 },
    );
  });

  it('gives one generation to a duration however it is spelt (formatDuration round-trips)', () => {
    fc.assert(
      fc.property(DURATION, (duration) => {
        const write = (interval: string): string =>
          stringify({
            apiVersion: 'weft.dev/v1',
            kind: 'ModelDeployment',
            metadata: { name: 'm' },
            spec: {
              model: { name: 'm', version: 1 },
              strategy: { type: 'shadow', shadow: { duration: interval } },
            },
          });
        const first = parseDeployment(write(duration.text), 'a.yaml');
        expect(first.spec.strategy).toEqual({
          ...DEFAULT_SHADOW,
          type: 'shadow',
          durationMs: duration.ms,
        });
        for (const spelling of [formatDuration(duration.ms), `${duration.ms}ms`]) {
          expect(parseDeployment(write(spelling), 'b.yaml').generation).toBe(first.generation);
        }
      }),
    );
  });
});
