import { describe, expect, it } from 'vitest';
import { checkAtLeast, checkAtMost, describeChecks } from './canary-analysis.js';

describe('analysis checks', () => {
  it('pass at the limit, on the side their bound allows', () => {
    expect(checkAtMost('errorRate', 0.01, 0.01)).toEqual({
      name: 'errorRate',
      value: 0.01,
      threshold: 0.01,
      bound: 'max',
      passed: true,
    });
    expect(checkAtMost('errorRate', 0.02, 0.01).passed).toBe(false);
    expect(checkAtLeast('onlineAccuracy', 0.97, 0.97).passed).toBe(true);
    expect(checkAtLeast('onlineAccuracy', 0.9695, 0.97)).toMatchObject({
      bound: 'min',
      passed: false,
    });
  });

  it('describes each value beside its limit, the way it passed or failed', () => {
    const checks = [
      checkAtMost('errorRate', 0, 0.01),
      checkAtMost('p99LatencyMs', 12.345678, 10),
      checkAtLeast('onlineAccuracy', 0.96951, 0.97),
      checkAtLeast('shadowAgreement', 1, 0.99),
    ];
    expect(describeChecks(checks)).toBe(
      'errorRate 0 <= 0.01, p99LatencyMs 12.35 > 10, onlineAccuracy 0.9695 < 0.97, shadowAgreement 1 >= 0.99',
    );
  });

  it('reads a check stored before checks had a bound as a maximum', () => {
    const stored = { name: 'errorRate', value: 0.5, threshold: 0.1, passed: false };
    expect(describeChecks([stored])).toBe('errorRate 0.5 > 0.1');
  });
});
