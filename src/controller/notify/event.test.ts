import { describe, expect, it } from 'vitest';
import { createControllerEvent } from './event.js';
import { signStandardWebhook } from './standard-webhooks.js';

describe('createControllerEvent', () => {
  it('stamps a fresh id that Standard Webhooks can sign, and the time', () => {
    const fields = {
      type: 'DriftDetected',
      severity: 'warning' as const,
      object: { kind: 'ModelDeployment', name: 'penguins' },
      message: 'live serves penguins@1, Git says penguins@2',
    };
    const now = new Date('2025-01-02T03:04:05Z');
    const first = createControllerEvent(fields, now);
    const second = createControllerEvent(fields, now);
    expect(first).toEqual({ ...fields, id: first.id, at: '2025-01-02T03:04:05.000Z' });
    expect(first.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(second.id).not.toBe(first.id);
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
    expect(() => signStandardWebhook(secret, first.id, 1, '{}')).not.toThrow();
  });
});
