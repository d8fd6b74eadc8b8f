import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.js';

describe('RequestLog', () => {
  it('counts 5xx as errors and takes the nearest-rank p99 inside the window', () => {
    const log = new RequestLog();
    for (let i = 1; i <= 100; i++)
      log.record('m', '1', { at: i, status: i % 10 === 0 ? 503 : 200, latencyMs: i });
    log.record('m', '1', { at: 500, status: 200, latencyMs: 1 });
    log.record('m', '2', { at: 50, status: 200, latencyMs: 7 });
    expect(log.stats('m', '1', { from: 1, to: 100 })).toEqual({
      requests: 100,
      errors: 10,
      errorRate: 0.1,
      p99LatencyMs: 99,
    });
    expect(log.stats('m', '1', { from: 200, to: 600 })).toEqual({
      requests: 1,
      errors: 0,
      errorRate: 0,
      p99LatencyMs: 1,
    });
    expect(log.stats('m', '3', { from: 0, to: 1000 })).toEqual({
      requests: 0,
      errors: 0,
      errorRate: null,
      p99LatencyMs: null,
    });
  });

  it('keeps only the newest outcomes once full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        (capacity, n) => {
          const log = new RequestLog(capacity);
          for (let i = 0; i < n; i++) log.record('m', '1', { at: i, status: 200, latencyMs: i });
          const { requests } = log.stats('m', '1', { from: 0, to: n });
          expect(requests).toBe(Math.min(n, capacity));
          if (n > 0) expect(log.stats('m', '1', { from: n - 1, to: n - 1 }).requests).toBe(1);
        },
      ),
    );
  });
});
